using k8s.Models;

namespace Rollout.Watch;

/// <summary>
/// Whether a restart is done, judged from the pods the watch already watches (its RBAC has no read of the
/// workloads): none of the pods it replaces is left, there are as many pods as the workload wants, all ready and
/// none leaving. (Creation times are whole seconds, too coarse to tell a pod created just before the restart.)
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
        var settled = pods.Count >= restart.Desired && pods.All(p =>
            p.Metadata?.DeletionTimestamp is null &&
            !restart.OldPods.Contains(p.Metadata?.Uid ?? "") &&
            p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        if (settled)
        {
            return State.Settled;
        }

        return now >= restart.Deadline ? State.TimedOut : State.Waiting;
    }
}
