using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>A field of a user container that still holds what an earlier pass wrote; restorable to its original.</summary>
internal sealed class OwnedField(JsonNode? original)
{
    public JsonNode? Original { get; } = original;

    public bool Claimed { get; set; }
}
