using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>
/// A restart whose pods are being replaced: when it was sent, the pods it replaces (by uid), how many pods should
/// come back, until when to wait.
/// </summary>
public sealed record InFlightRestart(WorkloadRef Workload, DateTimeOffset PatchedAt, int Desired, DateTimeOffset Deadline, string Reason)
{
    public IReadOnlySet<string> OldPods { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
