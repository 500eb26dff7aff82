using k8s.Models;

namespace Rollout.Selection;

/// <summary>
/// Follows a pod's controller reference to the workload that owns its template: Pod -> ReplicaSet -> Deployment,
/// Pod -> StatefulSet, Pod -> DaemonSet. Everything else (bare pods, Jobs, static pods, ReplicaSets without a
/// Deployment, other controllers, several controllers, an owner that is gone) is a skip with the reason. References
/// are matched by name and uid, as the garbage collector does, so a ReplicaSet recreated under the same name is not
/// mistaken for the pod's owner.
/// </summary>
public sealed class OwnerResolver
{
    private const string Apps = "apps/";
    private readonly Dictionary<(string Namespace, string Name), V1ReplicaSet> _replicaSets;
    private readonly bool _replicaSetsListed;

    /// <param name="replicaSetsListed">False when ReplicaSets were not listed because Deployments are excluded.</param>
    public OwnerResolver(IEnumerable<V1ReplicaSet> replicaSets, bool replicaSetsListed = true)
    {
        _replicaSetsListed = replicaSetsListed;
        ArgumentNullException.ThrowIfNull(replicaSets);
        var index = new Dictionary<(string, string), V1ReplicaSet>();
        foreach (var replicaSet in replicaSets)
        {
            if (replicaSet.Metadata?.Name is { } name)
            {
                index[(replicaSet.Metadata.NamespaceProperty ?? "", name)] = replicaSet;
            }
        }

        _replicaSets = index;
    }

    public OwnerResolution Resolve(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata?.NamespaceProperty ?? "";
        var podSubject = $"Pod {ns}/{pod.Metadata?.Name}";
        var owners = pod.Metadata?.OwnerReferences ?? [];
        var controllers = owners.Where(o => o.Controller == true).ToList();
        if (controllers.Count == 0)
        {
            return owners.Count == 0
                ? OwnerResolution.Skip(podSubject, "bare pod (no owner): nothing to restart it through; delete it to recreate it")
                : OwnerResolution.Skip(podSubject, $"no controller among its owners ({string.Join(", ", owners.Select(Describe))})");
        }

        if (controllers.Count > 1)
        {
            return OwnerResolution.Skip(podSubject, $"more than one controller owner ({string.Join(", ", controllers.Select(Describe))})");
        }

        var owner = controllers[0];
        var apiVersion = owner.ApiVersion ?? "";
        switch (owner.Kind)
        {
            case "ReplicaSet" when apiVersion.StartsWith(Apps, StringComparison.Ordinal):
                return ThroughReplicaSet(ns, owner);
            case "StatefulSet" when apiVersion.StartsWith(Apps, StringComparison.Ordinal):
                return OwnerResolution.To(new WorkloadRef(WorkloadKind.StatefulSet, ns, owner.Name));
            case "DaemonSet" when apiVersion.StartsWith(Apps, StringComparison.Ordinal):
                return OwnerResolution.To(new WorkloadRef(WorkloadKind.DaemonSet, ns, owner.Name));
            case "Job" when apiVersion.StartsWith("batch/", StringComparison.Ordinal):
                return OwnerResolution.Skip($"Job {ns}/{owner.Name}", "runs to completion: its next run gets the current sidecars");
            case "Node" when apiVersion == "v1":
                return OwnerResolution.Skip(podSubject, "static pod (managed by the kubelet of its node): change its manifest on the node");
            default:
                return OwnerResolution.Skip($"{Describe(owner)} in {ns}", "this kind of owner is not restarted (Deployments, StatefulSets and DaemonSets are)");
        }
    }

    private OwnerResolution ThroughReplicaSet(string ns, V1OwnerReference owner)
    {
        var subject = $"ReplicaSet {ns}/{owner.Name}";
        if (!_replicaSetsListed)
        {
            return OwnerResolution.Skip(subject, "Deployments are excluded (--exclude-deployments), so its ReplicaSets were not read");
        }

        if (!_replicaSets.TryGetValue((ns, owner.Name), out var replicaSet) ||
            (!string.IsNullOrEmpty(owner.Uid) && replicaSet.Metadata.Uid is { } uid && uid != owner.Uid))
        {
            return OwnerResolution.Skip(subject, "the pod's ReplicaSet was not found (deleted since, or not listed)");
        }

        var controllers = (replicaSet.Metadata.OwnerReferences ?? []).Where(o => o.Controller == true).ToList();
        if (controllers.Count == 0)
        {
            return OwnerResolution.Skip(subject, "ReplicaSet without a Deployment: changing its template restarts no pod; delete its pods to recreate them");
        }

        if (controllers.Count > 1)
        {
            return OwnerResolution.Skip(subject, $"more than one controller owner ({string.Join(", ", controllers.Select(Describe))})");
        }

        var deployment = controllers[0];
        if (deployment.Kind == "Deployment" && (deployment.ApiVersion ?? "").StartsWith(Apps, StringComparison.Ordinal))
        {
            return OwnerResolution.To(new WorkloadRef(WorkloadKind.Deployment, ns, deployment.Name));
        }

        return OwnerResolution.Skip($"{Describe(deployment)} in {ns}", "this kind of owner is not restarted (Deployments, StatefulSets and DaemonSets are)");
    }

    private static string Describe(V1OwnerReference owner)
    {
        var group = (owner.ApiVersion ?? "").Contains('/', StringComparison.Ordinal) ? "." + owner.ApiVersion![..owner.ApiVersion!.IndexOf('/', StringComparison.Ordinal)] : "";
        return $"{owner.Kind}{group} {owner.Name}";
    }
}
