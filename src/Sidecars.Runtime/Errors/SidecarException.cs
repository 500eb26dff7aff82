namespace Sidecars.Runtime.Errors;

/// <summary>
/// An error whose <see cref="Exception.Message"/> is ours: a sentence fit for the user. <see cref="ErrorText"/>
/// prints these as they are and puts its own words on every other exception.
/// </summary>
public class SidecarException : Exception
{
    public SidecarException()
    {
    }

    public SidecarException(string message)
        : base(message)
    {
    }

    public SidecarException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
