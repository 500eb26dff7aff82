using System.Text.Json.Nodes;

namespace Canary.Traffic;

/// <summary>A routing object the controller writes: its API coordinates and, when it exists, its JSON.</summary>
public sealed record RoutingObject(string Group, string Version, string Plural, string Kind, string Name, JsonObject? Current)
{
    public string ApiVersion => $"{Group}/{Version}";
}
