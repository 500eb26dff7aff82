namespace Injector.Core.Configuration;

/// <summary>The config file is unreadable or has a wrong value; the message says which key and what is valid.</summary>
public sealed class InjectorConfigException : Exception
{
    public InjectorConfigException(string message)
        : base(message)
    {
    }

    public InjectorConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public InjectorConfigException()
    {
    }
}
