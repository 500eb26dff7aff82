namespace Canary.Kube;

/// <summary>An object the controller would manage exists but belongs to someone else; it is left untouched.</summary>
public sealed class CanaryConflictException : Exception
{
    public CanaryConflictException()
    {
    }

    public CanaryConflictException(string message)
        : base(message)
    {
    }

    public CanaryConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
