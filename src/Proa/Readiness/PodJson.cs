using System.Globalization;
using System.Text.Json;

namespace Proa.Readiness;

/// <summary>Null-tolerant accessors over raw pod JSON (we read a handful of fields; no model types, no reflection).</summary>
internal static class PodJson
{
    public static JsonElement? Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static JsonElement? Child(this JsonElement? element, string name) => element?.Child(name);

    public static string? String(this JsonElement? element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool Bool(this JsonElement? element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.True };

    public static long? Long(this JsonElement? element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static IEnumerable<JsonElement> Array(this JsonElement? element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>The entry of a status list (containerStatuses, initContainerStatuses) for one container.</summary>
    public static JsonElement? StatusOf(this JsonElement pod, string listName, string container)
    {
        foreach (var status in ((JsonElement?)pod).Child("status").Array(listName))
        {
            if (((JsonElement?)status).String("name") == container)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>Kubernetes timestamps are RFC 3339 with second precision.</summary>
    public static DateTimeOffset? Time(this JsonElement? element, string name) =>
        element.String(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}
