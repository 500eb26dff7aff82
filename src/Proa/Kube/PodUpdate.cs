using System.Text.Json;

namespace Proa.Kube;

/// <summary>The latest pod snapshot, or <see cref="Deleted"/> when the pod is gone (not listed, or a DELETED event).</summary>
internal sealed record PodUpdate(JsonElement Pod, bool Deleted)
{
    public static PodUpdate Gone { get; } = new(default, true);
}
