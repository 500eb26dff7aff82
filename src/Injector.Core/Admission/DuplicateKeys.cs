using System.Text;
using System.Text.Json;

namespace Injector.Core.Admission;

/// <summary>
/// Finds a property name repeated within one object while a <see cref="Utf8JsonReader"/> walks it, without making a
/// string per key: names are compared as unescaped UTF-8 bytes, and an object with many keys switches to a hash
/// set, so the check stays linear. Objects nest: <see cref="Open"/> and <see cref="Close"/> bracket each one.
/// </summary>
internal sealed class DuplicateKeys
{
    private const int LinearLimit = 16;

    /// <summary>Tables that grew past these (a hostile review) are not kept for the thread's life.</summary>
    private const int KeepBytes = 64 * 1024;
    private const int KeepKeys = 4096;

    [ThreadStatic]
    private static DuplicateKeys? s_spare;

    private readonly List<(int Start, int Length)> _keys = new(64);
    private readonly List<Level> _levels = new(16);
    private byte[] _bytes = new byte[1024];
    private int _used;

    /// <summary>
    /// The thread's reused tables (a review reads without allocating them), or new ones when they are in use; give
    /// them back with <see cref="Return"/>.
    /// </summary>
    public static DuplicateKeys Rent()
    {
        var keys = s_spare ?? new DuplicateKeys();
        s_spare = null;
        return keys;
    }

    /// <summary>Empties the tables (a read may have stopped in the middle on a syntax error) and keeps them for the thread.</summary>
    public void Return()
    {
        _keys.Clear();
        _levels.Clear();
        _used = 0;
        if (_bytes.Length <= KeepBytes && _keys.Capacity <= KeepKeys && _levels.Capacity <= KeepKeys)
        {
            s_spare = this;
        }
    }

    public void Open() => _levels.Add(new Level(_keys.Count, _used));

    public void Close()
    {
        var level = _levels[^1];
        _levels.RemoveAt(_levels.Count - 1);
        _keys.RemoveRange(level.FirstKey, _keys.Count - level.FirstKey);
        _used = level.BytesStart;
    }

    /// <summary>Records the property name the reader is on; false when the current object already has it.</summary>
    public bool Add(ref Utf8JsonReader reader)
    {
        Reserve(reader.ValueSpan.Length);
        return Add(reader.ValueIsEscaped ? reader.CopyString(_bytes.AsSpan(_used)) : Copy(reader.ValueSpan));
    }

    /// <inheritdoc cref="Add(ref Utf8JsonReader)"/>
    public bool Add<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        Reserve(reader.ValueSpan.Length);
        return Add(reader.ValueIsEscaped ? reader.CopyString(_bytes.AsSpan(_used)) : Copy(reader.ValueSpan));
    }

    /// <summary>Records the name just copied to the end of the table (<paramref name="length"/> bytes).</summary>
    private bool Add(int length)
    {
        var level = _levels[^1];
        var name = _bytes.AsSpan(_used, length);
        if (level.Set is { } set)
        {
            return set.Add(Encoding.UTF8.GetString(name));
        }

        for (int i = level.FirstKey; i < _keys.Count; i++)
        {
            var (start, keyLength) = _keys[i];
            if (name.SequenceEqual(_bytes.AsSpan(start, keyLength)))
            {
                return false;
            }
        }

        if (_keys.Count - level.FirstKey < LinearLimit)
        {
            _keys.Add((_used, length));
            _used += length;
            return true;
        }

        // Many keys: one set for the rest of this object (hostile input must not make the check quadratic).
        set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = level.FirstKey; i < _keys.Count; i++)
        {
            set.Add(Encoding.UTF8.GetString(_bytes.AsSpan(_keys[i].Start, _keys[i].Length)));
        }

        _levels[^1] = level with { Set = set };
        return set.Add(Encoding.UTF8.GetString(name));
    }

    private int Copy(ReadOnlySpan<byte> name)
    {
        name.CopyTo(_bytes.AsSpan(_used));
        return name.Length;
    }

    private void Reserve(int length)
    {
        if (_used + length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + length));
        }
    }

    private readonly record struct Level(int FirstKey, int BytesStart, HashSet<string>? Set = null);
}
