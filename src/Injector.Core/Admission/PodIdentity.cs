using System.Text.Json.Nodes;

namespace Injector.Core.Admission;

/// <summary>Who a review is about, for logs: namespace, pod (or generateName*), and owning controller.</summary>
public sealed record PodIdentity(string Namespace, string Name, string Owner)
{
    public static PodIdentity Unknown { get; } = new("", "", "");

    public static PodIdentity From(string? requestNamespace, JsonObject? pod)
    {
        var metadata = pod?["metadata"] as JsonObject;
        var ns = requestNamespace ?? Text(metadata?["namespace"]) ?? "";
        var name = Text(metadata?["name"]) is { Length: > 0 } n ? n : (Text(metadata?["generateName"]) is { Length: > 0 } g ? g + "*" : "");
        var owner = "";
        if (metadata?["ownerReferences"] is JsonArray { Count: > 0 } owners && owners[0] is JsonObject first)
        {
            owner = Text(first["kind"]) + "/" + Text(first["name"]);
        }

        return new PodIdentity(ns, name, owner);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
