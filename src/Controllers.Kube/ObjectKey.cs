using k8s;
using k8s.Models;

namespace Controllers.Kube;

/// <summary>Namespace and name of an object: what the work queue carries.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new(obj.Metadata.NamespaceProperty, obj.Metadata.Name);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
