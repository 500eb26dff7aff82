using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>A sidecar container an earlier pass injected, trusted as ours: converged in place or removed.</summary>
internal sealed class OwnedContainer(JsonObject node, string list, string sidecar)
{
    public JsonObject Node { get; } = node;

    /// <summary><c>containers</c> or <c>initContainers</c>.</summary>
    public string List { get; } = list;

    public string Sidecar { get; } = sidecar;

    public bool Claimed { get; set; }
}
