using k8s.Models;
using Rollout.Planning;

namespace Rollout.Waiting;

/// <summary>
/// kubectl's rollout-status rules per kind (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go), gated on the
/// generation the restart patch returned: until the controller's <c>status.observedGeneration</c> reaches it, the
/// status describes the previous template and says nothing about this rollout, however complete it looks.
/// </summary>
public static class RolloutStatusRules
{
    public const string TimedOutReason = "ProgressDeadlineExceeded";

    public static RolloutProgress Evaluate(WorkloadState state, long awaitedGeneration)
    {
        ArgumentNullException.ThrowIfNull(state);
        var generation = Math.Max(state.Generation, awaitedGeneration);
        var observed = ObservedGeneration(state);
        if (observed < generation)
        {
            return RolloutProgress.Waiting($"waiting for the controller to observe generation {generation} (observed: {observed})");
        }

        if (state.Deployment is { } deployment)
        {
            return Deployment(deployment);
        }

        if (state.StatefulSet is { } statefulSet)
        {
            return StatefulSet(statefulSet);
        }

        return DaemonSet(state.DaemonSet!);
    }

    /// <summary>Null when the workload is healthy now (before a restart), else what is wrong, for a warning.</summary>
    public static string? Unhealthy(WorkloadState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (ObservedGeneration(state) < state.Generation)
        {
            return "its controller has not observed its latest change yet";
        }

        if (state.Deployment is { } d)
        {
            if (Condition(d)?.Reason == TimedOutReason)
            {
                return "its last rollout exceeded its progress deadline";
            }

            var replicas = d.Spec?.Replicas ?? 1;
            var available = d.Status?.AvailableReplicas ?? 0;
            return available < replicas ? $"{available} of {replicas} replicas available" : null;
        }

        if (state.StatefulSet is { } s)
        {
            var replicas = s.Spec?.Replicas ?? 1;
            var ready = s.Status?.ReadyReplicas ?? 0;
            return ready < replicas ? $"{ready} of {replicas} replicas ready" : null;
        }

        var ds = state.DaemonSet!;
        var desired = ds.Status?.DesiredNumberScheduled ?? 0;
        var availableDaemons = ds.Status?.NumberAvailable ?? 0;
        return availableDaemons < desired ? $"{availableDaemons} of {desired} scheduled pods available" : null;
    }

    public static long ObservedGeneration(WorkloadState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Deployment?.Status?.ObservedGeneration
            ?? state.StatefulSet?.Status?.ObservedGeneration
            ?? state.DaemonSet?.Status?.ObservedGeneration
            ?? 0;
    }

    private static RolloutProgress Deployment(V1Deployment deployment)
    {
        var name = deployment.Metadata?.Name;
        if (Condition(deployment)?.Reason == TimedOutReason)
        {
            return RolloutProgress.Failed($"deployment \"{name}\" exceeded its progress deadline");
        }

        // A paused Deployment's controller observes the new template but creates no new ReplicaSet, and the progress
        // deadline does not run while paused: kubectl would wait for ever. Say so instead of waiting out --timeout.
        if (deployment.Spec?.Paused == true)
        {
            return RolloutProgress.Failed($"deployment \"{name}\" is paused: the restart rolls out when it is resumed (kubectl rollout resume)");
        }

        var status = deployment.Status ?? new V1DeploymentStatus();
        var updated = status.UpdatedReplicas ?? 0;
        var total = status.Replicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        if (deployment.Spec?.Replicas is { } replicas && updated < replicas)
        {
            return RolloutProgress.Waiting($"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...");
        }

        if (total > updated)
        {
            return RolloutProgress.Waiting($"Waiting for deployment \"{name}\" rollout to finish: {total - updated} old replicas are pending termination...");
        }

        if (available < updated)
        {
            return RolloutProgress.Waiting($"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...");
        }

        return RolloutProgress.Complete($"deployment \"{name}\" successfully rolled out");
    }

    private static RolloutProgress StatefulSet(V1StatefulSet sts)
    {
        var strategy = sts.Spec?.UpdateStrategy;
        if ((strategy?.Type ?? "RollingUpdate") != "RollingUpdate")
        {
            return RolloutProgress.Failed($"updateStrategy is {strategy!.Type}: pods change only when they are deleted");
        }

        var status = sts.Status ?? new V1StatefulSetStatus();
        if ((status.ObservedGeneration ?? 0) == 0)
        {
            return RolloutProgress.Waiting("Waiting for statefulset spec update to be observed...");
        }

        var replicas = sts.Spec?.Replicas;
        var ready = status.ReadyReplicas ?? 0;
        var updated = status.UpdatedReplicas ?? 0;
        if (replicas is { } r && ready < r)
        {
            return RolloutProgress.Waiting($"Waiting for {r - ready} pods to be ready...");
        }

        if (strategy?.RollingUpdate is { } rolling)
        {
            if (replicas is { } n && rolling.Partition is { } partition && updated < n - partition)
            {
                return RolloutProgress.Waiting($"Waiting for partitioned roll out to finish: {updated} out of {n - partition} new pods have been updated...");
            }

            return RolloutProgress.Complete($"partitioned roll out complete: {updated} new pods have been updated...");
        }

        if (status.UpdateRevision != status.CurrentRevision)
        {
            return RolloutProgress.Waiting($"waiting for statefulset rolling update to complete {updated} pods at revision {status.UpdateRevision}...");
        }

        return RolloutProgress.Complete($"statefulset rolling update complete {status.CurrentReplicas ?? 0} pods at revision {status.CurrentRevision}...");
    }

    private static RolloutProgress DaemonSet(V1DaemonSet daemon)
    {
        var name = daemon.Metadata?.Name;
        var strategy = daemon.Spec?.UpdateStrategy?.Type ?? "RollingUpdate";
        if (strategy != "RollingUpdate")
        {
            return RolloutProgress.Failed($"updateStrategy is {strategy}: pods change only when they are deleted");
        }

        var status = daemon.Status ?? new V1DaemonSetStatus();
        var desired = status.DesiredNumberScheduled;
        var updated = status.UpdatedNumberScheduled ?? 0;
        if (updated < desired)
        {
            return RolloutProgress.Waiting($"Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...");
        }

        if ((status.NumberAvailable ?? 0) < desired)
        {
            return RolloutProgress.Waiting($"Waiting for daemon set \"{name}\" rollout to finish: {status.NumberAvailable ?? 0} of {desired} updated pods are available...");
        }

        return RolloutProgress.Complete($"daemon set \"{name}\" successfully rolled out");
    }

    private static V1DeploymentCondition? Condition(V1Deployment deployment) =>
        deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
}
