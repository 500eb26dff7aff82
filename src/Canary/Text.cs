namespace Canary;

/// <summary>Bounded text for the status, Events and logs.</summary>
public static class Text
{
    /// <summary><paramref name="s"/> cut to at most <paramref name="max"/> characters, ending in "..." when cut
    /// (never between the two halves of a surrogate pair).</summary>
    public static string Truncate(string s, int max)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Length <= max)
        {
            return s;
        }

        var cut = max - 3;
        if (cut > 0 && char.IsHighSurrogate(s[cut - 1]))
        {
            cut--;
        }

        return string.Concat(s.AsSpan(0, cut), "...");
    }
}
