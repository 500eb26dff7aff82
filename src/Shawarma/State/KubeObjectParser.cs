using System.Text.Json;

namespace Shawarma.State;

/// <summary>Reads the few fields we need from EndpointSlice and Service JSON (tolerant: missing fields are defaults).</summary>
internal static class KubeObjectParser
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public static EndpointSliceInfo ParseEndpointSlice(JsonElement slice)
    {
        var (name, labels) = ReadMetadata(slice);
        var endpoints = new List<SliceEndpoint>();
        if (slice.TryGetProperty("endpoints", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var endpoint in list.EnumerateArray())
            {
                string? pod = null;
                if (endpoint.TryGetProperty("targetRef", out var target) && target.ValueKind == JsonValueKind.Object
                    && String(target, "kind") == "Pod")
                {
                    pod = String(target, "name");
                }

                // "ready" absent or null means unknown, which consumers must interpret as ready (EndpointConditions docs).
                var ready = !(endpoint.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Object
                    && conditions.TryGetProperty("ready", out var r) && r.ValueKind == JsonValueKind.False);
                endpoints.Add(new SliceEndpoint(pod, ready));
            }
        }

        return new EndpointSliceInfo(name, labels.GetValueOrDefault(ServiceNameLabel), endpoints);
    }

    public static ServiceInfo ParseService(JsonElement service)
    {
        var (name, labels) = ReadMetadata(service);
        return new ServiceInfo(name, labels);
    }

    private static (string Name, Dictionary<string, string> Labels) ReadMetadata(JsonElement obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return ("", labels);
        }

        if (metadata.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in l.EnumerateObject())
            {
                if (label.Value.ValueKind == JsonValueKind.String)
                {
                    labels[label.Name] = label.Value.GetString()!;
                }
            }
        }

        return (String(metadata, "name") ?? "", labels);
    }

    private static string? String(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
