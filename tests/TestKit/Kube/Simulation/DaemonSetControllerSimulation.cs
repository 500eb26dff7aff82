using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TestKit.Kube.Storage;

namespace TestKit.Kube.Simulation;

/// <summary>
/// A simulation of the DaemonSet controller (kubelet folded in) on <see cref="Nodes"/> nodes, moving <c>status</c>
/// the way kubectl's rollout status reads it: a tick first observes a new generation (<c>observedGeneration</c>;
/// <c>updatedNumberScheduled</c> 0 when the template changed); each later tick makes one step of a RollingUpdate
/// with maxUnavailable 1: an old pod is deleted and its replacement scheduled (updated grows, available drops), then
/// the replacement becomes available. <c>OnDelete</c> DaemonSets are observed but never rolled.
/// <see cref="RolloutBehavior.Stall"/> replaces one pod that never becomes available; <see cref="RolloutBehavior.Ignore"/>
/// never observes. It records how many rollouts were in flight at once.
/// </summary>
public sealed class DaemonSetControllerSimulation : ControllerSimulation
{
    private readonly ConcurrentDictionary<string, RolloutBehavior> _behaviors = new();
    private readonly ConcurrentDictionary<string, string> _templates = new();
    private readonly InFlightCounter _inFlight = new();

    /// <summary>Nodes the DaemonSets run on (<c>desiredNumberScheduled</c>).</summary>
    public int Nodes { get; init; } = 3;

    public RolloutBehavior DefaultBehavior { get; set; } = RolloutBehavior.Progress;

    public int MaxRolloutsInFlight => _inFlight.Max;

    public void SetBehavior(string ns, string name, RolloutBehavior behavior) => _behaviors[ns + "/" + name] = behavior;

    /// <summary>kubectl's rollout status for a DaemonSet: (done, message, error).</summary>
    public static (bool Done, string Message, string? Error) RolloutStatus(JsonObject daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        if ((daemonSet.StringAt("spec.updateStrategy.type") ?? "RollingUpdate") != "RollingUpdate")
        {
            return (true, "", "rollout status is only available for RollingUpdate strategy type");
        }

        var name = daemonSet.Name();
        if ((daemonSet.LongAt("metadata.generation") ?? 0) > (daemonSet.LongAt("status.observedGeneration") ?? 0))
        {
            return (false, "Waiting for daemon set spec update to be observed...", null);
        }

        var desired = daemonSet.LongAt("status.desiredNumberScheduled") ?? 0;
        var updated = daemonSet.LongAt("status.updatedNumberScheduled") ?? 0;
        var available = daemonSet.LongAt("status.numberAvailable") ?? 0;
        if (updated < desired)
        {
            return (false, $"Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...", null);
        }

        if (available < desired)
        {
            return (false, $"Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...", null);
        }

        return (true, $"daemon set \"{name}\" successfully rolled out", null);
    }

    protected internal override void OnChange(StoredChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Type.GroupResource == ResourceTypes.DaemonSet.GroupResource)
        {
            Track(change.Key, change.Deleted ? null : change.After);
        }
    }

    protected internal override void Reconcile(KubeStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var daemonSet in store.List(ResourceTypes.DaemonSet))
        {
            var ns = daemonSet.Namespace()!;
            var name = daemonSet.Name()!;
            var key = ns + "/" + name;
            var behavior = _behaviors.TryGetValue(key, out var b) ? b : DefaultBehavior;
            if (behavior == RolloutBehavior.Ignore)
            {
                continue;
            }

            var result = store.Mutate(ResourceTypes.DaemonSet, ns, name, d => Step(d, key, behavior), "status");
            if (result is not null)
            {
                Track(key, result);
            }
        }
    }

    private void Step(JsonObject daemonSet, string key, RolloutBehavior behavior)
    {
        var generation = daemonSet.LongAt("metadata.generation") ?? 1;
        var onDelete = (daemonSet.StringAt("spec.updateStrategy.type") ?? "RollingUpdate") == "OnDelete";
        if (daemonSet["status"] is not JsonObject status)
        {
            status = [];
            daemonSet["status"] = status;
        }

        long desired = Nodes;
        var updated = status.LongAt("updatedNumberScheduled") ?? desired;
        var available = status.LongAt("numberAvailable") ?? desired;
        if ((status.LongAt("observedGeneration") ?? 0) < generation)
        {
            var template = daemonSet.At("spec.template")?.ToWire() ?? "";
            if (!_templates.TryGetValue(key, out var known) || known != template)
            {
                if (known is not null || status["observedGeneration"] is not null)
                {
                    updated = 0; // every running pod is of the previous template
                }

                _templates[key] = template;
            }

            status["observedGeneration"] = generation;
            Set(status, desired, updated, available);
            return;
        }

        if (onDelete)
        {
            return;
        }

        if (available < desired)
        {
            if (behavior != RolloutBehavior.Stall)
            {
                available++; // the replacement on that node passes its readiness probe
            }
        }
        else if (updated < desired)
        {
            available--; // maxUnavailable 1: one old pod goes, its replacement is scheduled
            updated++;
        }

        Set(status, desired, updated, available);
    }

    private static void Set(JsonObject status, long desired, long updated, long available)
    {
        status["desiredNumberScheduled"] = desired;
        status["currentNumberScheduled"] = desired;
        status["numberMisscheduled"] = 0;
        status["numberReady"] = available;
        status["numberAvailable"] = available;
        status["updatedNumberScheduled"] = updated;
        if (desired - available > 0)
        {
            status["numberUnavailable"] = desired - available;
        }
        else
        {
            status.Remove("numberUnavailable");
        }
    }

    private void Track(string key, JsonObject? daemonSet) =>
        _inFlight.Track(key, daemonSet is not null && RolloutStatus(daemonSet) is { Done: false, Error: null });
}
