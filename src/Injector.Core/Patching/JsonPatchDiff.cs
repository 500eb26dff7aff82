using System.Text.Json.Nodes;

namespace Injector.Core.Patching;

/// <summary>
/// Computes the RFC 6902 operations that turn <c>original</c> into <c>desired</c>. The desired document is always
/// derived from a clone of the raw request object, so every field the engine does not know survives untouched and
/// the patch only names what changed. Arrays are matched by common prefix and suffix, then element by element, which
/// turns "append a sidecar" into one add and "modify the app container" into a few nested ops.
/// </summary>
public static class JsonPatchDiff
{
    public static List<JsonPatchOperation> Create(JsonNode? original, JsonNode? desired)
    {
        var ops = new List<JsonPatchOperation>();
        Diff(original, desired, string.Empty, ops);
        return ops;
    }

    private static void Diff(JsonNode? a, JsonNode? b, string path, List<JsonPatchOperation> ops)
    {
        switch (a, b)
        {
            case (JsonObject oa, JsonObject ob):
                DiffObjects(oa, ob, path, ops);
                break;
            case (JsonArray aa, JsonArray ab):
                DiffArrays(aa, ab, path, ops);
                break;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    ops.Add(JsonPatchOperation.Replace(path, b?.DeepClone()));
                }

                break;
        }
    }

    private static void DiffObjects(JsonObject a, JsonObject b, string path, List<JsonPatchOperation> ops)
    {
        foreach (var (key, _) in a)
        {
            if (!b.ContainsKey(key))
            {
                ops.Add(JsonPatchOperation.Remove(JsonPointer.Append(path, key)));
            }
        }

        foreach (var (key, bv) in b)
        {
            var child = JsonPointer.Append(path, key);
            if (a.TryGetPropertyValue(key, out var av))
            {
                Diff(av, bv, child, ops);
            }
            else
            {
                ops.Add(JsonPatchOperation.Add(child, bv?.DeepClone()));
            }
        }
    }

    private static void DiffArrays(JsonArray a, JsonArray b, string path, List<JsonPatchOperation> ops)
    {
        int prefix = 0;
        while (prefix < a.Count && prefix < b.Count && JsonNode.DeepEquals(a[prefix], b[prefix]))
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix
               && JsonNode.DeepEquals(a[a.Count - 1 - suffix], b[b.Count - 1 - suffix]))
        {
            suffix++;
        }

        int aMid = a.Count - prefix - suffix;
        int bMid = b.Count - prefix - suffix;
        int paired = Math.Min(aMid, bMid);
        for (int i = 0; i < paired; i++)
        {
            Diff(a[prefix + i], b[prefix + i], JsonPointer.Append(path, prefix + i), ops);
        }

        // Remove surplus from the highest index down so earlier indexes stay valid.
        for (int i = prefix + aMid - 1; i >= prefix + paired; i--)
        {
            ops.Add(JsonPatchOperation.Remove(JsonPointer.Append(path, i)));
        }

        for (int i = prefix + paired; i < prefix + bMid; i++)
        {
            ops.Add(JsonPatchOperation.Add(JsonPointer.Append(path, i), b[i]?.DeepClone()));
        }
    }
}
