using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestKit.Kube.Patching;

/// <summary>A JSON Patch that could not be decoded (the server answers 400).</summary>
public sealed class PatchFormatException(string message) : Exception(message);

/// <summary>A JSON Patch operation that does not apply to the document (the server answers 422).</summary>
public sealed class PatchApplyException(string message) : Exception(message);

/// <summary>
/// JSON Patch (RFC 6902), <c>application/json-patch+json</c>: add, remove, replace, move, copy and test with JSON
/// Pointers (RFC 6901, <c>~0</c> <c>~1</c> escapes, <c>-</c> appends). All operations apply or none do. Messages follow
/// evanphx/json-patch, the library kube-apiserver uses.
/// </summary>
public static class JsonPatch
{
    /// <summary>kube-apiserver's limit on operations in one JSON patch (413 beyond it).</summary>
    public const int MaxOperations = 10000;

    /// <exception cref="PatchFormatException">Not an array of operations.</exception>
    /// <exception cref="PatchApplyException">An operation does not apply (a failed test, a missing path...).</exception>
    public static JsonNode Apply(JsonNode document, string patchJson)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(patchJson);
        }
        catch (JsonException e)
        {
            throw new PatchFormatException(e.Message);
        }

        if (parsed is not JsonArray operations)
        {
            throw new PatchFormatException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        return Apply(document, operations);
    }

    /// <inheritdoc cref="Apply(JsonNode, string)"/>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(operations);
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var item in operations)
        {
            if (item is not JsonObject op)
            {
                throw new PatchFormatException("json: cannot unmarshal into Go value of type jsonpatch.Operation");
            }

            var kind = op["op"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "unknown";
            var path = op["path"] is JsonValue p && p.TryGetValue<string>(out var ps) ? ps : null;
            switch (kind)
            {
                case "add":
                    Add(root, Require(path, kind), Value(op, kind));
                    break;
                case "remove":
                    Remove(root, Require(path, kind));
                    break;
                case "replace":
                    Replace(root, Require(path, kind), Value(op, kind));
                    break;
                case "move":
                {
                    var from = From(op, kind);
                    var value = Get(root, from, "move") ?? throw new PatchApplyException($"move operation does not apply: doc is missing from path: {from}");
                    Remove(root, from);
                    Add(root, Require(path, kind), value);
                    break;
                }

                case "copy":
                {
                    var from = From(op, kind);
                    var value = Get(root, from, "copy") ?? throw new PatchApplyException($"copy operation does not apply: doc is missing from path: {from}");
                    Add(root, Require(path, kind), value.DeepClone());
                    break;
                }

                case "test":
                {
                    var target = Require(path, kind);
                    var actual = Get(root, target, "test");
                    var expected = op.TryGetPropertyValue("value", out var e) ? e : null;
                    if (!KubeJson.SemanticEquals(actual, expected))
                    {
                        throw new PatchApplyException($"testing value {target} failed: test failed");
                    }

                    break;
                }

                default:
                    throw new PatchApplyException($"Unexpected kind: {kind}");
            }
        }

        return root["doc"]!;
    }

    private static string Require(string? path, string op) =>
        path ?? throw new PatchApplyException($"{op} operation failed to decode path");

    private static string From(JsonObject op, string kind) =>
        op["from"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new PatchApplyException($"{kind} operation failed to decode from");

    private static JsonNode? Value(JsonObject op, string kind) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new PatchApplyException($"{kind} operation missing value");

    private static (JsonNode Container, string Key) Parent(JsonObject root, string path, string op)
    {
        if (path.Length > 0 && path[0] != '/')
        {
            throw new PatchApplyException($"{op} operation does not apply: doc is missing path: \"{path}\"");
        }

        var tokens = path.Length == 0 ? [] : path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode container = root;
        var key = "doc";
        foreach (var token in tokens)
        {
            var next = Child(container, key) ?? throw new PatchApplyException($"{op} operation does not apply: doc is missing path: \"{path}\"");
            container = next;
            key = token;
        }

        return (container, key);
    }

    private static JsonNode? Child(JsonNode container, string key) => container switch
    {
        JsonObject o => o.TryGetPropertyValue(key, out var child) ? child : null,
        JsonArray a => int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count ? a[i] : null,
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path, string op)
    {
        var (container, key) = Parent(root, path, op);
        return Child(container, key);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (container, key) = Parent(root, path, "add");
        switch (container)
        {
            case JsonObject o:
                o[key] = value;
                break;
            case JsonArray a:
                if (key == "-")
                {
                    a.Add(value);
                }
                else if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= a.Count)
                {
                    a.Insert(index, value);
                }
                else
                {
                    throw new PatchApplyException($"add operation does not apply: index out of bounds: {key}");
                }

                break;
            default:
                throw new PatchApplyException($"add operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (container, key) = Parent(root, path, "remove");
        switch (container)
        {
            case JsonObject o when o.ContainsKey(key):
                o.Remove(key);
                break;
            case JsonArray a when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < a.Count:
                a.RemoveAt(index);
                break;
            default:
                throw new PatchApplyException($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static void Replace(JsonObject root, string path, JsonNode? value)
    {
        var (container, key) = Parent(root, path, "replace");
        switch (container)
        {
            case JsonObject o when o.ContainsKey(key):
                o[key] = value;
                break;
            case JsonArray a when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < a.Count:
                a[index] = value;
                break;
            default:
                throw new PatchApplyException($"replace operation does not apply: doc is missing key: {path}");
        }
    }
}
