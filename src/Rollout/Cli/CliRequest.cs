namespace Rollout.Cli;

/// <summary>What the command line asked for.</summary>
public abstract record CliRequest
{
    private CliRequest()
    {
    }

    /// <summary>A one-shot run (the root command).</summary>
    public sealed record Run(RunOptions Options) : CliRequest;

    /// <summary><c>sidecar-rollout watch</c>.</summary>
    public sealed record Watch(Rollout.Watch.WatchOptions Options) : CliRequest;

    /// <summary>Help, version or a usage error was printed: exit with this code.</summary>
    public sealed record Done(int Code) : CliRequest;
}
