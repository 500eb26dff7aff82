using System.Globalization;
using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>Read-only view of a pod's annotations with typed, validated accessors.</summary>
public sealed class PodAnnotations
{
    private readonly Dictionary<string, string> _values;

    public PodAnnotations(JsonObject? annotations)
    {
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (annotations is null)
        {
            return;
        }

        foreach (var (key, value) in annotations)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var s))
            {
                _values[key] = s;
            }
        }
    }

    public bool Contains(string key) => _values.ContainsKey(key);

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

    /// <summary>A TCP port (1-65535) or the default; <paramref name="error"/> explains a bad value.</summary>
    public int GetPort(string key, int fallback, out string? error) => GetPort([key], fallback, out error);

    public int GetPort(string[] keys, int fallback, out string? error)
    {
        error = null;
        string? raw = null;
        string? usedKey = null;
        foreach (var key in keys)
        {
            if (_values.TryGetValue(key, out var v))
            {
                raw = v.Trim();
                usedKey = key;
                break;
            }
        }

        if (raw is null)
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        error = $"annotation {usedKey}: '{raw}' is not a valid port; use a number from 1 to 65535";
        return fallback;
    }
}
