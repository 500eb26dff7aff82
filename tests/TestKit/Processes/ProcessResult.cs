namespace TestKit.Processes;

/// <summary>A finished process: exit code and its whole output.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Exit code and both streams, for assertion messages.</summary>
    public string Describe() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}
