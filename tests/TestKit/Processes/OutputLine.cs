namespace TestKit.Processes;

/// <summary>Which stream a line came from.</summary>
public enum OutputStream
{
    StdOut,
    StdErr,
}

/// <summary>One line a child process wrote, in the order lines arrived.</summary>
public sealed record OutputLine(OutputStream Stream, string Text)
{
    public override string ToString() => Stream == OutputStream.StdErr ? "stderr: " + Text : Text;
}
