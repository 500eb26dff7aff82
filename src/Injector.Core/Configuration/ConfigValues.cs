using System.Text.Json;
using System.Text.Json.Nodes;

namespace Injector.Core.Configuration;

/// <summary>
/// Typed reads of config values, each refusing what the API server would refuse to decode (a string where a bool
/// goes, 1.5 where an integer goes) with an <see cref="InjectorConfigException"/> that names the key by its path.
/// An absent key reads as null; a key that is present but empty (<c>key:</c> or <c>~</c>) is an error, since that
/// is what a half-written file looks like.
/// </summary>
internal static class ConfigValues
{
    public static string Name(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static JsonObject? Mapping(JsonObject parent, string key, string path, string what = "a mapping") =>
        Present(parent, key, path) switch
        {
            null => null,
            JsonObject obj => obj,
            _ => throw Invalid(path, key, $"must be {what}"),
        };

    public static string? String(JsonObject parent, string key, string path) =>
        Present(parent, key, path) switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw Invalid(path, key, $"must be a string, got {other.ToJsonString()}"),
        };

    public static bool? Bool(JsonObject parent, string key, string path) =>
        Present(parent, key, path) switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            _ => throw Invalid(path, key, "must be true or false"),
        };

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>] (Kubernetes' int64 fields).</summary>
    public static long? Integer(JsonObject parent, string key, string path, long min, long max)
    {
        var node = Present(parent, key, path);
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            // Go's JSON decoder takes no fraction or exponent into an int64, and nothing outside its range.
            throw node is JsonValue { } n && n.GetValueKind() == JsonValueKind.Number && IsWholeNumberOutOfRange(n.ToJsonString())
                ? Invalid(path, key, $"must be between {min} and {max}")
                : Invalid(path, key, $"must be an integer, got {node.ToJsonString()}");
        }

        return value >= min && value <= max ? value : throw Invalid(path, key, $"must be between {min} and {max}");
    }

    public static List<string>? StringList(JsonObject parent, string key, string path)
    {
        var node = Present(parent, key, path);
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array || array.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            throw Invalid(path, key, "must be a list of strings");
        }

        return [.. array.Select(i => i!.GetValue<string>())];
    }

    public static void RejectUnknown(JsonObject obj, IReadOnlyCollection<string> known, string path)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                throw new InjectorConfigException($"config {(path.Length == 0 ? string.Empty : path + " ")}has unknown key '{key}': valid keys are {string.Join(", ", known)}");
            }
        }
    }

    public static InjectorConfigException Invalid(string path, string key, string problem) =>
        new($"config {Name(path, key)} {problem}");

    /// <summary>The key's node when present; an explicit null is refused rather than read as "use the default".</summary>
    private static JsonNode? Present(JsonObject parent, string key, string path)
    {
        if (!parent.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        return node ?? throw Invalid(path, key, "is empty: give a value, or leave the key out for the default");
    }

    private static bool IsWholeNumberOutOfRange(string text) =>
        text.All(c => char.IsAsciiDigit(c) || c == '-') && text.Length > 0;
}
