using k8s.Models;

namespace Rollout.Tests.Support;

/// <summary>KubernetesClient objects for the pure tests.</summary>
public static class Objects
{
    public static V1OwnerReference Owner(string kind, string name, string apiVersion = "apps/v1", string? uid = null, bool controller = true) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid ?? name + "-uid", Controller = controller };

    public static V1Pod Pod(string ns, string name, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, OwnerReferences = owners.Length == 0 ? null : owners.ToList(), Labels = new Dictionary<string, string>() },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1" }] },
        Status = new V1PodStatus { Phase = "Running", StartTime = new DateTime(2025, 5, 1, 9, 0, 0, DateTimeKind.Utc) },
    };

    public static V1Pod OfReplicaSet(string ns, string replicaSet, string name) => Pod(ns, name, Owner("ReplicaSet", replicaSet));

    public static V1ReplicaSet ReplicaSet(string ns, string name, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, Uid = name + "-uid", OwnerReferences = owners.Length == 0 ? null : owners.ToList() },
    };
}
