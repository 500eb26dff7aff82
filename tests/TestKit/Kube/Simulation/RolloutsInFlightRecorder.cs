using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TestKit.Kube.Storage;

namespace TestKit.Kube.Simulation;

/// <summary>
/// Watches every Deployment, StatefulSet and DaemonSet change and records how many were rolling out at once (not
/// complete by kubectl's rules, from the moment a new generation is written), overall and within one namespace:
/// what a test of a rollout tool's <c>--parallel-rollouts</c> and <c>--max-per-namespace</c> asserts on. It makes
/// no writes; add it next to the kind simulations with <c>kube.Controllers.Add(new RolloutsInFlightRecorder())</c>.
/// </summary>
public sealed class RolloutsInFlightRecorder : ControllerSimulation
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _maxPerNamespace = new(StringComparer.Ordinal);
    private int _max;

    /// <summary>The most rollouts in flight at the same time.</summary>
    public int MaxInFlight
    {
        get
        {
            lock (_gate)
            {
                return _max;
            }
        }
    }

    /// <summary>The most rollouts in flight at the same time within any one namespace.</summary>
    public int MaxInFlightInOneNamespace => _maxPerNamespace.Values.DefaultIfEmpty(0).Max();

    /// <summary>The most rollouts in flight at the same time per namespace.</summary>
    public IReadOnlyDictionary<string, int> MaxInFlightPerNamespace => new Dictionary<string, int>(_maxPerNamespace);

    /// <summary>Workloads rolling out now (<c>Kind ns/name</c>).</summary>
    public IReadOnlyList<string> InFlight
    {
        get
        {
            lock (_gate)
            {
                return [.. _inFlight];
            }
        }
    }

    /// <summary>Whether the workload is rolling out by kubectl's rules (complete and failed ones are not).</summary>
    public static bool IsRollingOut(ResourceType type, JsonObject workload)
    {
        ArgumentNullException.ThrowIfNull(type);
        var (done, _, error) = type.GroupResource == ResourceTypes.Deployment.GroupResource ? DeploymentControllerSimulation.RolloutStatus(workload)
            : type.GroupResource == ResourceTypes.StatefulSet.GroupResource ? StatefulSetControllerSimulation.RolloutStatus(workload)
            : DaemonSetControllerSimulation.RolloutStatus(workload);
        return !done && error is null;
    }

    protected internal override void OnChange(StoredChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var group = change.Type.GroupResource;
        if (group != ResourceTypes.Deployment.GroupResource && group != ResourceTypes.StatefulSet.GroupResource && group != ResourceTypes.DaemonSet.GroupResource)
        {
            return;
        }

        var key = $"{change.Type.Kind} {change.Namespace}/{change.Name}";
        lock (_gate)
        {
            if (change.Deleted || !IsRollingOut(change.Type, change.After))
            {
                _inFlight.Remove(key);
                return;
            }

            _inFlight.Add(key);
            _max = Math.Max(_max, _inFlight.Count);
            var inNamespace = _inFlight.Count(k => k.Split(' ', 2)[1].StartsWith(change.Namespace + "/", StringComparison.Ordinal));
            _maxPerNamespace.AddOrUpdate(change.Namespace, inNamespace, (_, seen) => Math.Max(seen, inNamespace));
        }
    }

    protected internal override void Reconcile(KubeStore store, DateTimeOffset now)
    {
    }
}
