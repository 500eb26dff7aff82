using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>A volume an earlier pass added, trusted as ours.</summary>
internal sealed class OwnedVolume(JsonObject node)
{
    public JsonObject Node { get; } = node;

    public bool Claimed { get; set; }
}
