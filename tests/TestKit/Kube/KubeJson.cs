using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestKit.Kube;

/// <summary>Small helpers over System.Text.Json.Nodes for Kubernetes objects (dotted paths, metadata accessors).</summary>
public static class KubeJson
{
    /// <summary>Compact JSON as the API server writes it (no indentation, no HTML escaping of &lt; &gt; &amp;).</summary>
    public static readonly JsonSerializerOptions WireOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Parses a JSON object; throws <see cref="JsonException"/> for anything else.</summary>
    public static JsonObject ParseObject(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject
        ?? throw new JsonException("the document is not a JSON object");

    public static string ToWire(this JsonNode node) => node.ToJsonString(WireOptions);

    /// <summary>The node at a dotted path (<c>metadata.labels</c>), or null.</summary>
    public static JsonNode? At(this JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The string at a dotted path, or null (numbers and booleans are rendered as strings).</summary>
    public static string? StringAt(this JsonObject obj, string path) => obj.At(path) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    /// <summary>The integer at a dotted path, or null.</summary>
    public static long? LongAt(this JsonObject obj, string path) =>
        obj.At(path) is JsonValue v && Number(v) is { } n ? (long)n : null;

    /// <summary>The numeric value of a JSON number node however it was created (parsed, int, long, double), or null.</summary>
    public static double? Number(JsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Sets the value at a dotted path, creating intermediate objects.</summary>
    public static void Set(this JsonObject obj, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var current = obj;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }

            current = next;
        }

        current[parts[^1]] = value;
    }

    /// <summary>Removes the value at a dotted path (no-op when absent).</summary>
    public static void RemoveAt(this JsonObject obj, string path)
    {
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? obj : obj.At(string.Join('.', parts[..^1])) as JsonObject;
        parent?.Remove(parts[^1]);
    }

    /// <summary><c>metadata</c>, created when absent.</summary>
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        return metadata;
    }

    public static string? Name(this JsonObject obj) => obj.StringAt("metadata.name");

    public static string? Namespace(this JsonObject obj) => obj.StringAt("metadata.namespace");

    public static string? ResourceVersion(this JsonObject obj) => obj.StringAt("metadata.resourceVersion");

    /// <summary>The labels as a dictionary (empty when none).</summary>
    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) =>
        obj.At("metadata.labels") is JsonObject labels
            ? labels.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValueKind() == JsonValueKind.String ? p.Value.GetValue<string>() : p.Value.ToJsonString())
            : new Dictionary<string, string>();

    /// <summary>Deep clone typed as an object.</summary>
    public static JsonObject Clone(this JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>RFC 3339 with seconds, as metav1.Time serializes.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 with microseconds, as metav1.MicroTime serializes (Lease renewTime, Event eventTime).</summary>
    public static string MicroTimestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Semantic equality (property order does not matter; 1 and 1.0 are equal).</summary>
    public static bool SemanticEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case JsonObject oa when b is JsonObject ob:
                return oa.Count == ob.Count && oa.All(p => ob.TryGetPropertyValue(p.Key, out var v) && SemanticEquals(p.Value, v));
            case JsonArray aa when b is JsonArray ab:
                return aa.Count == ab.Count && aa.Zip(ab).All(pair => SemanticEquals(pair.First, pair.Second));
            case JsonValue va when b is JsonValue vb:
                if (va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
                {
                    return Number(va).Equals(Number(vb));
                }

                return va.GetValueKind() == vb.GetValueKind() && va.ToJsonString() == vb.ToJsonString();
            default:
                return false;
        }
    }
}
