using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>What the watch does next: restart one workload now, or wait (until a time, or until something changes).</summary>
public abstract record WatchDecision
{
    private WatchDecision()
    {
    }

    public sealed record Start(SelectedWorkload Selected) : WatchDecision;

    /// <param name="Until">When to look again; null: when something changes.</param>
    public sealed record Wait(DateTimeOffset? Until, string Why) : WatchDecision;
}
