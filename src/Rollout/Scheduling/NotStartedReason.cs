namespace Rollout.Scheduling;

/// <summary>Why a queued rollout never started.</summary>
public enum NotStartedReason
{
    /// <summary>Ctrl-C (SIGINT) or SIGTERM arrived first.</summary>
    Interrupted,

    /// <summary><c>--max-failures</c> rollouts had failed.</summary>
    TooManyFailures,
}
