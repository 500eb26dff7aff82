using Rollout.Selection;

namespace Rollout.Planning;

/// <summary>
/// One selected workload with its plan: restart it (with warnings to read first), or skip it and why (paused,
/// OnDelete, partitioned, gone, opted out).
/// </summary>
public sealed record PlannedRestart(SelectedWorkload Selected, WorkloadState? State, string? SkipReason, IReadOnlyList<string> Warnings)
{
    public WorkloadRef Workload => Selected.Workload;

    public bool Restart => SkipReason is null;
}
