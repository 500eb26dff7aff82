using System.Collections;
using System.Text.Json.Nodes;
using Injector.Core.Patching;

namespace Injector.Core.Engine;

/// <summary>
/// The object items of one of a pod's lists (containers, volumes, mounts, ...), in order: only opened objects, or
/// also items the request reader left unread (<see cref="RawJson"/> of an object). A <c>foreach</c> binds to the
/// struct enumerator, so walking a list on every review allocates nothing; LINQ still works through the interface.
/// </summary>
internal readonly struct PodListItems<T> : IEnumerable<T>
    where T : JsonNode
{
    private readonly JsonArray? _array;
    private readonly bool _unread;

    /// <param name="array">The list, or null for none.</param>
    /// <param name="unread">Whether unread object items count too (then <typeparamref name="T"/> is <see cref="JsonNode"/>).</param>
    public PodListItems(JsonArray? array, bool unread)
    {
        _array = array;
        _unread = unread;
    }

    public Enumerator GetEnumerator() => new(_array, _unread);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal struct Enumerator : IEnumerator<T>
    {
        private readonly JsonArray? _array;
        private readonly bool _unread;
        private int _index;

        public Enumerator(JsonArray? array, bool unread)
        {
            _array = array;
            _unread = unread;
            _index = -1;
            Current = null!;
        }

        public T Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_array is null)
            {
                return false;
            }

            while (++_index < _array.Count)
            {
                var item = _array[_index];
                if (item is JsonObject || (_unread && RawJson.Of(item)?.Kind == System.Text.Json.JsonValueKind.Object))
                {
                    Current = (T)item!;
                    return true;
                }
            }

            return false;
        }

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
