namespace Rollout.Selection;

/// <summary>
/// Where a pod leads: a workload to restart, or why it cannot be restarted through one (the subject names what was
/// found, e.g. <c>Job shop/migrate</c>, so skipped pods of one owner are reported once).
/// </summary>
public sealed record OwnerResolution(WorkloadRef? Workload, string? SkippedSubject, string? SkipReason)
{
    public static OwnerResolution To(WorkloadRef workload) => new(workload, null, null);

    public static OwnerResolution Skip(string subject, string reason) => new(null, subject, reason);
}
