using System.Text.Json.Nodes;

namespace Injector.Core.Patching;

/// <summary>
/// A copy of a document that remembers, for its upper levels, which original node each copied node came from, and
/// which copied nodes were changed since. The diff uses it to skip unchanged subtrees by identity instead of
/// comparing them value by value: with 50 untouched containers, that is the difference between comparing the whole
/// pod and comparing the one container that was edited. Deeper levels are plain (lazy) clones.
/// </summary>
public sealed class TrackedClone
{
    private readonly Dictionary<JsonNode, JsonNode> _origin = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<JsonNode> _dirty = new(ReferenceEqualityComparer.Instance);

    private TrackedClone(JsonObject root)
    {
        Root = root;
    }

    public JsonObject Root { get; }

    /// <summary>Copies <paramref name="original"/>, tracking identity down to <paramref name="depth"/> levels.</summary>
    public static TrackedClone Create(JsonObject original, int depth)
    {
        var clone = new TrackedClone(new JsonObject());
        clone.CopyInto(original, clone.Root, depth);
        return clone;
    }

    /// <summary>The original node a copied node came from, or null for nodes added since.</summary>
    public JsonNode? OriginOf(JsonNode node) => _origin.GetValueOrDefault(node);

    /// <summary>Records that <paramref name="node"/> (and so every node above it) may differ from its original.</summary>
    public void MarkChanged(JsonNode node)
    {
        for (JsonNode? current = node; current is not null && _dirty.Add(current); current = current.Parent)
        {
        }
    }

    public bool IsChanged(JsonNode node) => _dirty.Contains(node) || !_origin.ContainsKey(node);

    /// <summary>True when <paramref name="copy"/> is known to equal <paramref name="original"/> without looking.</summary>
    public bool IsUnchangedCopyOf(JsonNode? copy, JsonNode? original) =>
        copy is not null && original is not null && !_dirty.Contains(copy)
        && _origin.TryGetValue(copy, out var origin) && ReferenceEquals(origin, original);

    /// <summary>True when <paramref name="copy"/> is a tracked, unchanged copy of some other node.</summary>
    public bool IsUnchangedCopyOfAnother(JsonNode? copy, JsonNode? original) =>
        copy is not null && !_dirty.Contains(copy) && _origin.TryGetValue(copy, out var origin) && !ReferenceEquals(origin, original);

    private void CopyInto(JsonObject source, JsonObject target, int depth)
    {
        _origin[target] = source;
        foreach (var (key, value) in source)
        {
            target[key] = Copy(value, depth - 1);
        }
    }

    private JsonNode? Copy(JsonNode? value, int depth)
    {
        switch (value)
        {
            case JsonObject obj when depth > 0:
                var objCopy = new JsonObject();
                CopyInto(obj, objCopy, depth);
                return objCopy;
            case JsonArray array when depth > 0:
                var arrayCopy = new JsonArray();
                _origin[arrayCopy] = array;
                foreach (var item in array)
                {
                    arrayCopy.Add(Copy(item, depth - 1));
                }

                return arrayCopy;
            default:
                var plain = value?.DeepClone();
                if (plain is JsonObject or JsonArray)
                {
                    _origin[plain] = value!;
                }

                return plain;
        }
    }
}
