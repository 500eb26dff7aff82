using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>A restart whose pods are being replaced: when it was sent, how many pods should come back, until when to wait.</summary>
public sealed record InFlightRestart(WorkloadRef Workload, DateTimeOffset PatchedAt, int Desired, DateTimeOffset Deadline, string Reason);
