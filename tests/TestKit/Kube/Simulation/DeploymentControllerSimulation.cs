using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TestKit.Kube.Storage;

namespace TestKit.Kube.Simulation;

/// <summary>
/// A reference simulation of the deployment controller (with the ReplicaSet controller and kubelet folded in),
/// moving <c>status</c> the way kubectl's rollout-status rules read it (k8s.io/kubectl/pkg/polymorphichelpers
/// rollout_status.go): a tick first observes a new generation (<c>observedGeneration</c>, Progressing
/// ReplicaSetUpdated), and each later tick makes one step: new pods become ready, then more new pods are created
/// (<c>updatedReplicas</c>), then old pods terminate; when all are updated and available, Progressing becomes
/// NewReplicaSetAvailable. Paused Deployments are observed but not rolled (DeploymentPaused). Per-Deployment
/// <see cref="RolloutBehavior"/> makes one stall (and pass its progress deadline on the clock) or never observe.
/// It records how many rollouts were in flight at once.
/// </summary>
public sealed class DeploymentControllerSimulation : ControllerSimulation
{
    private readonly ConcurrentDictionary<string, RolloutBehavior> _behaviors = new();
    private readonly ConcurrentDictionary<string, string> _templateHashes = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastProgress = new();
    private readonly ConcurrentDictionary<string, bool> _inFlight = new();
    private int _maxInFlight;

    /// <summary>Pods moved per step (new pods created, old pods terminated).</summary>
    public int StepSize { get; init; } = 1;

    /// <summary>The behavior of Deployments without their own.</summary>
    public RolloutBehavior DefaultBehavior { get; set; } = RolloutBehavior.Progress;

    /// <summary>The most Deployments that were rolling out (not complete by kubectl's rules) at the same time.</summary>
    public int MaxRolloutsInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Deployments rolling out now.</summary>
    public int RolloutsInFlight => _inFlight.Count;

    /// <summary>Sets the behavior of one Deployment.</summary>
    public void SetBehavior(string ns, string name, RolloutBehavior behavior) => _behaviors[ns + "/" + name] = behavior;

    /// <summary>
    /// kubectl's rollout status for a Deployment: (done, message, error). <c>error</c> is set when the progress
    /// deadline was exceeded.
    /// </summary>
    public static (bool Done, string Message, string? Error) RolloutStatus(JsonObject deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var name = deployment.Name();
        var generation = deployment.LongAt("metadata.generation") ?? 0;
        var observed = deployment.LongAt("status.observedGeneration") ?? 0;
        if (generation > observed)
        {
            return (false, "Waiting for deployment spec update to be observed...", null);
        }

        if (Condition(deployment, "Progressing") is { } progressing && (string?)progressing["reason"] == "ProgressDeadlineExceeded")
        {
            return (false, "", $"deployment \"{name}\" exceeded its progress deadline");
        }

        var replicas = deployment.LongAt("spec.replicas") ?? 1;
        var updated = deployment.LongAt("status.updatedReplicas") ?? 0;
        var total = deployment.LongAt("status.replicas") ?? 0;
        var available = deployment.LongAt("status.availableReplicas") ?? 0;
        if (updated < replicas)
        {
            return (false, $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {replicas} new replicas have been updated...", null);
        }

        if (total > updated)
        {
            return (false, $"Waiting for deployment \"{name}\" rollout to finish: {total - updated} old replicas are pending termination...", null);
        }

        if (available < updated)
        {
            return (false, $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...", null);
        }

        return (true, $"deployment \"{name}\" successfully rolled out", null);
    }

    protected internal override void OnChange(StoredChange change)
    {
        if (change.Type.GroupResource != ResourceTypes.Deployment.GroupResource)
        {
            return;
        }

        Track(change.Key, change.Deleted ? null : change.After);
    }

    protected internal override void Reconcile(KubeStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var deployment in store.List(ResourceTypes.Deployment))
        {
            var ns = deployment.Namespace()!;
            var name = deployment.Name()!;
            var key = ns + "/" + name;
            var behavior = _behaviors.TryGetValue(key, out var b) ? b : DefaultBehavior;
            if (behavior == RolloutBehavior.Ignore)
            {
                continue;
            }

            var result = store.Mutate(ResourceTypes.Deployment, ns, name, d => Step(d, key, behavior, now), "status");
            if (result is not null)
            {
                Track(key, result);
            }
        }
    }

    private void Step(JsonObject deployment, string key, RolloutBehavior behavior, DateTimeOffset now)
    {
        var name = deployment.Name()!;
        var generation = deployment.LongAt("metadata.generation") ?? 1;
        var replicas = deployment.LongAt("spec.replicas") ?? 1;
        var paused = deployment.At("spec.paused") is JsonValue p && p.GetValue<bool>();
        var hash = TemplateHash(deployment);
        var rsName = $"{name}-{hash}";
        if (deployment["status"] is not JsonObject status)
        {
            status = [];
            deployment["status"] = status;
        }

        var total = status.LongAt("replicas") ?? 0;
        var updated = status.LongAt("updatedReplicas") ?? 0;
        var available = status.LongAt("availableReplicas") ?? 0;
        var old = Math.Max(0, total - updated);
        var newReady = Math.Max(0, available - old);

        if ((status.LongAt("observedGeneration") ?? 0) < generation)
        {
            // Observe: a changed template starts a new ReplicaSet; every current pod is now old.
            if (!_templateHashes.TryGetValue(key, out var known) || known != hash)
            {
                old = total;
                updated = 0;
                newReady = 0;
                _templateHashes[key] = hash;
            }

            status["observedGeneration"] = generation;
            _lastProgress[key] = now;
            SetCounts(status, replicas, updated, old, newReady);
            SetCondition(status, "Progressing", paused ? "Unknown" : "True", paused ? "DeploymentPaused" : "ReplicaSetUpdated",
                paused ? "Deployment is paused" : $"ReplicaSet \"{rsName}\" is progressing.", now);
            return;
        }

        if (paused)
        {
            return;
        }

        var complete = updated >= replicas && old == 0 && newReady >= updated && updated == replicas;
        if (complete)
        {
            SetCounts(status, replicas, updated, old, newReady);
            SetCondition(status, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.", now);
            return;
        }

        if (behavior == RolloutBehavior.Stall)
        {
            var deadline = TimeSpan.FromSeconds(deployment.LongAt("spec.progressDeadlineSeconds") ?? 600);
            if (_lastProgress.TryGetValue(key, out var last) && now - last > deadline)
            {
                SetCondition(status, "Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.", now);
            }

            return;
        }

        if (newReady < updated)
        {
            newReady = updated; // the new pods pass their readiness probes
        }
        else if (updated < replicas)
        {
            updated = Math.Min(replicas, updated + StepSize);
        }
        else if (old > 0)
        {
            old = Math.Max(0, old - StepSize);
        }
        else if (updated > replicas)
        {
            updated = replicas; // scaled down
            newReady = Math.Min(newReady, replicas);
        }

        _lastProgress[key] = now;
        SetCounts(status, replicas, updated, old, newReady);
        var nowComplete = updated == replicas && old == 0 && newReady >= updated;
        SetCondition(status, "Progressing", "True", nowComplete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            nowComplete ? $"ReplicaSet \"{rsName}\" has successfully progressed." : $"ReplicaSet \"{rsName}\" is progressing.", now);
    }

    private static void SetCounts(JsonObject status, long replicas, long updated, long old, long newReady)
    {
        var available = newReady + old;
        status["replicas"] = updated + old;
        status["updatedReplicas"] = updated;
        status["readyReplicas"] = available;
        status["availableReplicas"] = available;
        if (replicas - available > 0)
        {
            status["unavailableReplicas"] = replicas - available;
        }
        else
        {
            status.Remove("unavailableReplicas");
        }

        foreach (var field in new[] { "replicas", "updatedReplicas", "readyReplicas", "availableReplicas" })
        {
            if (status.LongAt(field) == 0)
            {
                status.Remove(field); // omitempty, as the API server serializes zero counts
            }
        }
    }

    private static JsonObject? Condition(JsonObject deployment, string type) =>
        (deployment.At("status.conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    private static void SetCondition(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        var stamp = KubeJson.Timestamp(now);
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type, ["lastTransitionTime"] = stamp };
            conditions.Add(condition);
        }
        else if ((string?)condition["status"] != value)
        {
            condition["lastTransitionTime"] = stamp;
        }

        if ((string?)condition["reason"] != reason || (string?)condition["status"] != value)
        {
            condition["lastUpdateTime"] = stamp;
        }

        condition["status"] = value;
        condition["reason"] = reason;
        condition["message"] = message;
        if (type == "Progressing")
        {
            var available = status.LongAt("availableReplicas") ?? 0;
            var availableCondition = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Available");
            if (availableCondition is null)
            {
                availableCondition = new JsonObject { ["type"] = "Available", ["lastTransitionTime"] = stamp, ["lastUpdateTime"] = stamp };
                conditions.Insert(0, availableCondition);
            }

            var isAvailable = available > 0 ? "True" : "False";
            if ((string?)availableCondition["status"] != isAvailable)
            {
                availableCondition["lastTransitionTime"] = stamp;
                availableCondition["lastUpdateTime"] = stamp;
            }

            availableCondition["status"] = isAvailable;
            availableCondition["reason"] = available > 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable";
            availableCondition["message"] = available > 0 ? "Deployment has minimum availability." : "Deployment does not have minimum availability.";
        }
    }

    /// <summary>A pod-template-hash-like name part: 10 characters derived from the template.</summary>
    private static string TemplateHash(JsonObject deployment)
    {
        var template = deployment.At("spec.template")?.ToWire() ?? "";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(template));
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var result = new StringBuilder();
        foreach (var value in bytes.Take(10))
        {
            result.Append(alphabet[value % alphabet.Length]);
        }

        return result.ToString();
    }

    private void Track(string key, JsonObject? deployment)
    {
        if (deployment is null || RolloutStatus(deployment) is { Done: true } or { Error: not null })
        {
            _inFlight.TryRemove(key, out _);
            return;
        }

        _inFlight[key] = true;
        var now = _inFlight.Count;
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        _ = string.Create(CultureInfo.InvariantCulture, $"{now}");
    }
}
