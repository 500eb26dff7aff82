namespace Sidecars.Kube;

/// <summary>A watch event longer than <see cref="WatchLineReader.MaxLineBytes"/>.</summary>
internal sealed class WatchLineTooLongException : Exception
{
    public WatchLineTooLongException()
        : base("watch event too long")
    {
    }

    public WatchLineTooLongException(string message)
        : base(message)
    {
    }

    public WatchLineTooLongException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
