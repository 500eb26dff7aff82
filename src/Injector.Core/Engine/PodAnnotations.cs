using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>Read-only view of a pod's annotations with typed, validated accessors. Values are read trimmed.</summary>
public sealed class PodAnnotations
{
    private readonly Dictionary<string, string> _values;

    public PodAnnotations(JsonObject? annotations)
    {
        _values = new Dictionary<string, string>(annotations?.Count ?? 0, StringComparer.Ordinal);
        if (annotations is null)
        {
            return;
        }

        for (int i = 0; i < annotations.Count; i++)
        {
            var (key, value) = annotations.GetAt(i);
            if (value is JsonValue v && v.TryGetValue<string>(out var s))
            {
                _values[key] = s;
            }
        }
    }

    /// <summary>Every key that has a string value.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The raw value, untrimmed.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    /// <summary>The first of <paramref name="keys"/> that is set, trimmed.</summary>
    public string? GetFirst(params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (_values.TryGetValue(key, out var v))
            {
                return v.Trim();
            }
        }

        return null;
    }

    /// <summary>The first of <paramref name="keys"/> the pod sets (the one <see cref="GetFirst"/> read), else the first
    /// key: messages name the annotation the user actually wrote.</summary>
    public string KeyOf(params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (_values.ContainsKey(key))
            {
                return key;
            }
        }

        return keys[0];
    }

    /// <summary>A TCP port (1-65535) or the default; <paramref name="error"/> explains a bad value.</summary>
    public int GetPort(string key, int fallback, out string? error) => GetPort([key], fallback, out error);

    public int GetPort(string[] keys, int fallback, out string? error)
    {
        error = null;
        foreach (var key in keys)
        {
            if (!_values.TryGetValue(key, out var v))
            {
                continue;
            }

            var raw = v.Trim();
            if (AnnotationValues.TryParsePort(raw, out var port))
            {
                return port;
            }

            error = $"annotation {key}: {AnnotationValues.Quote(raw)} is not a valid port; use a decimal number from 1 to 65535 without sign or leading zeros";
            return fallback;
        }

        return fallback;
    }
}
