using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TestKit.Kube.Storage;

namespace TestKit.Kube.Simulation;

/// <summary>
/// A simulation of the StatefulSet controller (kubelet folded in), moving <c>status</c> the way kubectl's rollout
/// status reads it (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go) and the controller writes it
/// (pkg/controller/statefulset): a tick first observes a new generation (<c>observedGeneration</c>, a new
/// <c>updateRevision</c>, <c>updatedReplicas</c> 0 when the template changed); each later tick makes one step of a
/// RollingUpdate in reverse ordinal order, one pod at a time: the next old pod is deleted (ready drops), then its
/// replacement becomes ready (<c>updatedReplicas</c> grows). Pods below <c>rollingUpdate.partition</c> are not
/// updated; when all others are, <c>currentRevision</c> becomes the update revision (partition 0). <c>OnDelete</c>
/// sets are observed but never rolled. <see cref="RolloutBehavior.Stall"/> deletes one pod and never gets it ready
/// (a crash-looping replacement; StatefulSets have no progress deadline); <see cref="RolloutBehavior.Ignore"/> never
/// observes. It records how many rollouts were in flight at once.
/// </summary>
public sealed class StatefulSetControllerSimulation : ControllerSimulation
{
    private readonly ConcurrentDictionary<string, RolloutBehavior> _behaviors = new();
    private readonly InFlightCounter _inFlight = new();

    public RolloutBehavior DefaultBehavior { get; set; } = RolloutBehavior.Progress;

    /// <summary>The most StatefulSets rolling out (not complete by kubectl's rules) at the same time.</summary>
    public int MaxRolloutsInFlight => _inFlight.Max;

    public void SetBehavior(string ns, string name, RolloutBehavior behavior) => _behaviors[ns + "/" + name] = behavior;

    /// <summary>kubectl's rollout status for a StatefulSet: (done, message, error).</summary>
    public static (bool Done, string Message, string? Error) RolloutStatus(JsonObject statefulSet)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        if ((statefulSet.StringAt("spec.updateStrategy.type") ?? "RollingUpdate") != "RollingUpdate")
        {
            return (true, "", "rollout status is only available for RollingUpdate strategy type");
        }

        var generation = statefulSet.LongAt("metadata.generation") ?? 0;
        var observed = statefulSet.LongAt("status.observedGeneration") ?? 0;
        if (observed == 0 || generation > observed)
        {
            return (false, "Waiting for statefulset spec update to be observed...", null);
        }

        var replicas = statefulSet.LongAt("spec.replicas");
        var ready = statefulSet.LongAt("status.readyReplicas") ?? 0;
        var updated = statefulSet.LongAt("status.updatedReplicas") ?? 0;
        if (replicas is { } r && ready < r)
        {
            return (false, $"Waiting for {r - ready} pods to be ready...", null);
        }

        if (statefulSet.At("spec.updateStrategy.rollingUpdate") is JsonObject)
        {
            if (replicas is { } n && statefulSet.LongAt("spec.updateStrategy.rollingUpdate.partition") is { } partition && updated < n - partition)
            {
                return (false, $"Waiting for partitioned roll out to finish: {updated} out of {n - partition} new pods have been updated...", null);
            }

            return (true, $"partitioned roll out complete: {updated} new pods have been updated...", null);
        }

        var updateRevision = statefulSet.StringAt("status.updateRevision");
        if (updateRevision != statefulSet.StringAt("status.currentRevision"))
        {
            return (false, $"waiting for statefulset rolling update to complete {updated} pods at revision {updateRevision}...", null);
        }

        return (true, $"statefulset rolling update complete {statefulSet.LongAt("status.currentReplicas") ?? 0} pods at revision {updateRevision}...", null);
    }

    protected internal override void OnChange(StoredChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Type.GroupResource == ResourceTypes.StatefulSet.GroupResource)
        {
            Track(change.Key, change.Deleted ? null : change.After);
        }
    }

    protected internal override void Reconcile(KubeStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var statefulSet in store.List(ResourceTypes.StatefulSet))
        {
            var ns = statefulSet.Namespace()!;
            var name = statefulSet.Name()!;
            var key = ns + "/" + name;
            var behavior = _behaviors.TryGetValue(key, out var b) ? b : DefaultBehavior;
            if (behavior == RolloutBehavior.Ignore)
            {
                continue;
            }

            var result = store.Mutate(ResourceTypes.StatefulSet, ns, name, s => Step(s, behavior), "status");
            if (result is not null)
            {
                Track(key, result);
            }
        }
    }

    private static void Step(JsonObject statefulSet, RolloutBehavior behavior)
    {
        var name = statefulSet.Name()!;
        var generation = statefulSet.LongAt("metadata.generation") ?? 1;
        var replicas = statefulSet.LongAt("spec.replicas") ?? 1;
        var partition = Math.Min(replicas, statefulSet.LongAt("spec.updateStrategy.rollingUpdate.partition") ?? 0);
        var onDelete = (statefulSet.StringAt("spec.updateStrategy.type") ?? "RollingUpdate") == "OnDelete";
        if (statefulSet["status"] is not JsonObject status)
        {
            status = [];
            statefulSet["status"] = status;
        }

        var revision = $"{name}-{TemplateHash(statefulSet)}";
        var ready = status.LongAt("readyReplicas") ?? 0;
        var updated = status.LongAt("updatedReplicas") ?? 0;
        var current = status.LongAt("currentReplicas") ?? 0;
        if ((status.LongAt("observedGeneration") ?? 0) < generation)
        {
            // Observe: a changed template is a new update revision; every pod still runs the previous one.
            var updateRevision = status.StringAt("updateRevision");
            if (updateRevision != revision)
            {
                status["currentRevision"] = updateRevision ?? $"{name}-initial";
                status["updateRevision"] = revision;
                current = replicas;
                updated = 0;
            }

            status["observedGeneration"] = generation;
            Set(status, replicas, ready, current, updated);
            return;
        }

        if (onDelete)
        {
            return;
        }

        var target = replicas - partition;
        if (updated < target)
        {
            if (ready == replicas)
            {
                ready--; // the highest old ordinal is deleted
                current--;
            }
            else if (behavior != RolloutBehavior.Stall && ready < replicas)
            {
                ready++; // its replacement, at the update revision, becomes ready
                updated++;
            }
        }
        else if (ready < replicas && behavior != RolloutBehavior.Stall)
        {
            ready++;
        }

        if (updated >= replicas && partition == 0)
        {
            status["currentRevision"] = status["updateRevision"]?.DeepClone();
            current = replicas;
        }

        Set(status, replicas, ready, current, updated);
    }

    private static void Set(JsonObject status, long replicas, long ready, long current, long updated)
    {
        status["replicas"] = replicas;
        status["readyReplicas"] = ready;
        status["availableReplicas"] = ready;
        status["currentReplicas"] = current;
        status["updatedReplicas"] = updated;
        foreach (var field in new[] { "readyReplicas", "availableReplicas", "currentReplicas", "updatedReplicas" })
        {
            if (status.LongAt(field) == 0)
            {
                status.Remove(field); // omitempty, as the API server serializes zero counts
            }
        }
    }

    private static string TemplateHash(JsonObject workload)
    {
        var template = workload.At("spec.template")?.ToWire() ?? "";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)))[..10];
    }

    private void Track(string key, JsonObject? statefulSet) =>
        _inFlight.Track(key, statefulSet is not null && RolloutStatus(statefulSet) is { Done: false, Error: null });
}
