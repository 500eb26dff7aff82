using System.Text.Json;
using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>Reading loosely typed JSON the way the API server's typed decode would, without throwing.</summary>
internal static class JsonValues
{
    public static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer from a JSON number however it was produced (parsed, or built from int, long, double).</summary>
    public static bool TryGetInt32(JsonNode? node, out int value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue(out value))
        {
            return true;
        }

        if (v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)l;
            return true;
        }

        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        return false;
    }

    public static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>
    /// True when every leaf of <paramref name="subset"/> is in <paramref name="superset"/> at the same place, so
    /// what the API server's defaulting added (a probe's <c>httpGet.scheme</c>, a volume's <c>defaultMode</c>) does
    /// not count as a change. Arrays compare whole.
    /// </summary>
    public static bool Contains(JsonNode? superset, JsonNode? subset)
    {
        if (subset is JsonObject sub)
        {
            if (superset is not JsonObject sup)
            {
                return false;
            }

            for (int i = 0; i < sub.Count; i++)
            {
                var (key, value) = sub.GetAt(i);
                if (!sup.TryGetPropertyValue(key, out var other) || !Contains(other, value))
                {
                    return false;
                }
            }

            return true;
        }

        return JsonNode.DeepEquals(superset, subset);
    }
}
