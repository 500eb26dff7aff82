using System.Buffers;
using System.Text.Json;
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
    private readonly Dictionary<JsonNode, JsonNode> _origin;
    // Sized for what one sidecar's injection marks (the pod, its metadata, lists and the edited containers).
    private readonly HashSet<JsonNode> _dirty = new(16, ReferenceEqualityComparer.Instance);

    private TrackedClone(JsonObject root, int capacity)
    {
        Root = root;
        // Sized up front: a pod with 50 containers and volumes tracks over 100 nodes, and growing the table there
        // allocated as much again in discarded tables.
        _origin = new(capacity, ReferenceEqualityComparer.Instance);
    }

    public JsonObject Root { get; }

    /// <summary>Copies <paramref name="original"/>, tracking identity down to <paramref name="depth"/> levels.</summary>
    public static TrackedClone Create(JsonObject original, int depth)
    {
        var clone = new TrackedClone(new JsonObject(), Tracked(original, depth) + 8);
        clone.CopyInto(original, clone.Root, depth);
        return clone;
    }

    /// <summary>How many nodes <see cref="CopyInto"/> tracks at most for <paramref name="node"/> (objects, lists, values).</summary>
    private static int Tracked(JsonNode? node, int depth)
    {
        switch (node)
        {
            case JsonObject obj:
                var inObject = 1;
                if (depth > 0)
                {
                    for (int i = 0; i < obj.Count; i++)
                    {
                        inObject += Tracked(obj.GetAt(i).Value, depth - 1);
                    }
                }

                return inObject;
            case JsonArray array:
                var inArray = 1;
                for (int i = 0; depth > 0 && i < array.Count; i++)
                {
                    inArray += Tracked(array[i], depth - 1);
                }

                return inArray;
            case null:
                return 0;
            default:
                return 1;
        }
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

    /// <summary>
    /// Parses an unread object item of a tracked list (see <see cref="RawJson"/>) and puts it in place of the unread
    /// value in both the copy and the original, tracked as if it had been copied from the start: opening is not a
    /// change, so the diff still skips it unless it is edited afterwards.
    /// </summary>
    /// <param name="copyList">The list in the copy that holds <paramref name="entry"/>.</param>
    /// <param name="entry">The unread item, or an object (returned as it is).</param>
    /// <param name="depth">Levels tracked below the item (as <see cref="Create"/> would have at its place).</param>
    public JsonObject Open(JsonArray copyList, JsonNode entry, int depth)
    {
        if (entry is JsonObject opened)
        {
            return opened;
        }

        var raw = RawJson.Of(entry) ?? throw new ArgumentException("not an unread object item", nameof(entry));
        var originalEntry = _origin[entry];
        var originalList = (JsonArray)_origin[copyList];
        var parsed = JsonNode.Parse(raw.Utf8.Span, documentOptions: new JsonDocumentOptions { MaxDepth = Admission.AdmissionRequestReader.MaxDepth })!.AsObject();
        originalList[IndexIn(originalList, originalEntry, raw.Index)] = parsed;
        var copy = new JsonObject();
        CopyInto(parsed, copy, depth);
        copyList[IndexIn(copyList, entry, raw.Index)] = copy;
        _origin.Remove(entry);
        return copy;
    }

    /// <summary>The item's position: where the request had it, unless the list changed since.</summary>
    private static int IndexIn(JsonArray list, JsonNode item, int hint) =>
        hint < list.Count && ReferenceEquals(list[hint], item) ? hint : list.IndexOf(item);

    private void CopyInto(JsonObject source, JsonObject target, int depth)
    {
        _origin[target] = source;
        // By index: a foreach over a JsonObject allocates its enumerator.
        for (int i = 0; i < source.Count; i++)
        {
            var (key, value) = source.GetAt(i);
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
                // Made at its size from the copied items rather than grown item by item (50 containers).
                var items = ArrayPool<JsonNode?>.Shared.Rent(array.Count);
                try
                {
                    for (int i = 0; i < array.Count; i++)
                    {
                        items[i] = Copy(array[i], depth - 1);
                    }

                    var arrayCopy = new JsonArray(items.AsSpan(0, array.Count));
                    _origin[arrayCopy] = array;
                    return arrayCopy;
                }
                finally
                {
                    Array.Clear(items, 0, array.Count);
                    ArrayPool<JsonNode?>.Shared.Return(items);
                }
            default:
                if (RawJson.Of(value) is { } raw)
                {
                    // An unread part of the request: a copy that shares the bytes, tracked like an object.
                    var rawCopy = RawJson.Node(raw);
                    _origin[rawCopy] = value!;
                    return rawCopy;
                }

                var plain = value?.DeepClone();
                if (plain is JsonObject or JsonArray)
                {
                    _origin[plain] = value!;
                }

                return plain;
        }
    }
}
