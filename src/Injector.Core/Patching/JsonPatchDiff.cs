using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Patching;

/// <summary>
/// Computes the RFC 6902 operations that turn <c>original</c> into <c>desired</c>. The desired document is always
/// derived from a clone of the raw request object, so every field the engine does not know survives untouched and
/// the patch only names what changed. Arrays are matched by common prefix and suffix, then element by element, which
/// turns "append a sidecar" into one add and "modify the app container" into a few nested ops.
/// Operation values are the nodes of <c>desired</c> itself (not copies): treat both as read-only afterwards.
/// </summary>
public static class JsonPatchDiff
{
    /// <param name="tracking">When <paramref name="desired"/> is a <see cref="TrackedClone"/> of
    /// <paramref name="original"/>, unchanged subtrees are skipped by identity.</param>
    /// <param name="work">Counts the nodes compared.</param>
    public static List<JsonPatchOperation> Create(JsonNode? original, JsonNode? desired, TrackedClone? tracking = null, WorkMeter? work = null)
    {
        var ops = new List<JsonPatchOperation>();
        new Walker(tracking, ops, work).Diff(original, desired, new PathStack());
        return ops;
    }

    private readonly struct Walker(TrackedClone? tracking, List<JsonPatchOperation> ops, WorkMeter? work)
    {
        public void Diff(JsonNode? a, JsonNode? b, PathStack path)
        {
            work?.Step();
            if (tracking?.IsUnchangedCopyOf(b, a) == true)
            {
                return;
            }

            switch (a, b)
            {
                case (JsonObject oa, JsonObject ob):
                    DiffObjects(oa, ob, path);
                    break;
                case (JsonArray aa, JsonArray ab):
                    DiffArrays(aa, ab, path);
                    break;
                default:
                    if (!JsonNode.DeepEquals(a, b))
                    {
                        ops.Add(JsonPatchOperation.Replace(path.ToPointer(), b));
                    }

                    break;
            }
        }

        private void DiffObjects(JsonObject a, JsonObject b, PathStack path)
        {
            // By index: a foreach over a JsonObject allocates its enumerator, and this runs for every changed object.
            for (int i = 0; i < a.Count; i++)
            {
                var key = a.GetAt(i).Key;
                if (!b.ContainsKey(key))
                {
                    ops.Add(JsonPatchOperation.Remove(path.ToPointer(key)));
                }
            }

            for (int i = 0; i < b.Count; i++)
            {
                var (key, bv) = b.GetAt(i);
                if (a.TryGetPropertyValue(key, out var av))
                {
                    path.Push(key);
                    Diff(av, bv, path);
                    path.Pop();
                }
                else
                {
                    ops.Add(JsonPatchOperation.Add(path.ToPointer(key), bv));
                }
            }
        }

        private void DiffArrays(JsonArray a, JsonArray b, PathStack path)
        {
            int prefix = 0;
            while (prefix < a.Count && prefix < b.Count && Same(a[prefix], b[prefix]))
            {
                prefix++;
            }

            int suffix = 0;
            while (suffix < a.Count - prefix && suffix < b.Count - prefix
                   && Same(a[a.Count - 1 - suffix], b[b.Count - 1 - suffix]))
            {
                suffix++;
            }

            int aMid = a.Count - prefix - suffix;
            int bMid = b.Count - prefix - suffix;
            int paired = Math.Min(aMid, bMid);
            for (int i = 0; i < paired; i++)
            {
                path.Push(prefix + i);
                Diff(a[prefix + i], b[prefix + i], path);
                path.Pop();
            }

            // Remove surplus from the highest index down so earlier indexes stay valid.
            for (int i = prefix + aMid - 1; i >= prefix + paired; i--)
            {
                ops.Add(JsonPatchOperation.Remove(path.ToPointer(i)));
            }

            for (int i = prefix + paired; i < prefix + bMid; i++)
            {
                ops.Add(JsonPatchOperation.Add(path.ToPointer(i), b[i]));
            }
        }

        /// <summary>Equality for aligning arrays; identity answers it for tracked copies without a deep walk.</summary>
        private bool Same(JsonNode? a, JsonNode? b)
        {
            work?.Step();
            if (tracking is not null)
            {
                if (tracking.IsUnchangedCopyOf(b, a))
                {
                    return true;
                }

                if (tracking.IsUnchangedCopyOfAnother(b, a))
                {
                    return false; // may still be equal (duplicates): only costs a less minimal alignment
                }
            }

            return JsonNode.DeepEquals(a, b);
        }
    }

    /// <summary>
    /// The current location as reference tokens; the pointer string is only built when an operation is emitted,
    /// so walking the (mostly unchanged) pod allocates nothing for paths.
    /// </summary>
    private sealed class PathStack
    {
        // null marks an array index (kept in _indexes, so no string is made for it); "" is a valid object key.
        private readonly List<string?> _tokens = [];
        private readonly List<int> _indexes = [];
        private readonly System.Text.StringBuilder _pointer = new(64);

        public void Push(string key)
        {
            _tokens.Add(JsonPointer.Escape(key));
        }

        public void Push(int index)
        {
            _tokens.Add(null);
            _indexes.Add(index);
        }

        public void Pop()
        {
            if (_tokens[^1] is null)
            {
                _indexes.RemoveAt(_indexes.Count - 1);
            }

            _tokens.RemoveAt(_tokens.Count - 1);
        }

        public string ToPointer() => Build(null);

        public string ToPointer(string key) => Build(JsonPointer.Escape(key));

        public string ToPointer(int index) => Fill(null).Append('/').Append(index).ToString();

        private string Build(string? last) => Fill(last).ToString();

        /// <summary>The pointer in the one reused builder (a review emits several operations).</summary>
        private System.Text.StringBuilder Fill(string? last)
        {
            var sb = _pointer.Clear();
            int index = 0;
            foreach (var token in _tokens)
            {
                sb.Append('/');
                if (token is null)
                {
                    sb.Append(_indexes[index++]);
                }
                else
                {
                    sb.Append(token);
                }
            }

            if (last is not null)
            {
                sb.Append('/').Append(last);
            }

            return sb;
        }
    }
}
