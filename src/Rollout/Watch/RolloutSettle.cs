using k8s.Models;
using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>
/// Whether a restart is done, judged from the pods the watch already watches (its RBAC has no read of the
/// workloads): as many pods as the workload wants, every one created after the restart, ready, and none leaving.
/// </summary>
public static class RolloutSettle
{
    public enum State
    {
        Waiting,
        Settled,
        TimedOut,
    }

    public static State Check(InFlightRestart restart, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(restart);
        ArgumentNullException.ThrowIfNull(pods);
        // creationTimestamp has whole seconds: a pod created in the second of the patch counts as new.
        var since = restart.PatchedAt.AddTicks(-(restart.PatchedAt.Ticks % TimeSpan.TicksPerSecond));
        var settled = pods.Count >= restart.Desired && pods.All(p =>
            p.Metadata?.DeletionTimestamp is null &&
            p.Metadata?.CreationTimestamp is { } created && KubeTime.Utc(created) >= since &&
            p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        if (settled)
        {
            return State.Settled;
        }

        return now >= restart.Deadline ? State.TimedOut : State.Waiting;
    }
}
