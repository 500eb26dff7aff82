namespace Rollout.Cli;

/// <summary>The documented exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Everything selected was restarted (or would be, in a dry run), or skipped with a reason; timeouts too unless --timeout-is-failure.</summary>
    public const int Success = 0;

    /// <summary>A rollout failed, a restart was refused, the cluster or the config could not be read, or the run was interrupted.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line: unknown flag, bad value, conflicting flags.</summary>
    public const int Usage = 2;
}
