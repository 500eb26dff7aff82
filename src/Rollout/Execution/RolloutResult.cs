namespace Rollout.Execution;

/// <summary>How one workload's rollout ended.</summary>
public enum RolloutResult
{
    /// <summary>Restarted, and complete by kubectl's rules.</summary>
    Restarted,

    /// <summary><c>--dry-run=server</c>: the API server accepted the patch (RBAC and admission passed); nothing changed.</summary>
    Accepted,

    /// <summary><c>--timeout</c> passed first; the rollout may still complete.</summary>
    TimedOut,

    Failed,

    /// <summary>Not restarted, with the reason (paused, OnDelete, gone...).</summary>
    Skipped,

    /// <summary>Queued but never started (Ctrl-C, or <c>--max-failures</c> reached).</summary>
    NotStarted,
}
