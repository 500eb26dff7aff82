using System.Globalization;

namespace Rollout;

/// <summary>
/// Durations as the original tool and kubectl take them: Go's <c>time.ParseDuration</c> units (<c>300s</c>, <c>5m</c>,
/// <c>1h30m</c>, <c>1.5h</c>, <c>250ms</c>), and a bare number as seconds (<c>600</c>).
/// </summary>
public static class Durations
{
    private static readonly (string Unit, double Seconds)[] Units =
    [
        ("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1),
    ];

    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        var s = text?.Trim() ?? "";
        if (s.Length == 0)
        {
            error = "a duration is required (e.g. 300s, 5m, 1h30m)";
            return false;
        }

        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            return Checked(bare, s, out duration, out error);
        }

        double total = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{s}' is not a duration (use e.g. 300s, 5m, 1h30m)";
                return false;
            }

            var unit = Units.FirstOrDefault(u => string.CompareOrdinal(s, i, u.Unit, 0, u.Unit.Length) == 0);
            if (unit.Unit is null)
            {
                error = $"'{s}' is not a duration: a unit (ms, s, m, h) must follow {s[start..i]}";
                return false;
            }

            i += unit.Unit.Length;
            total += number * unit.Seconds;
        }

        return Checked(total, s, out duration, out error);
    }

    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{(long)duration.TotalMilliseconds}ms";
        }

        var parts = new List<string>();
        if (duration.TotalHours >= 1)
        {
            parts.Add($"{(long)duration.TotalHours}h");
        }

        if (duration.Minutes > 0)
        {
            parts.Add($"{duration.Minutes}m");
        }

        if (duration.Seconds > 0 || duration.Milliseconds > 0 || parts.Count == 0)
        {
            parts.Add(duration.Milliseconds > 0
                ? (duration.Seconds + (duration.Milliseconds / 1000.0)).ToString("0.###", CultureInfo.InvariantCulture) + "s"
                : $"{duration.Seconds}s");
        }

        return string.Concat(parts);
    }

    private static bool Checked(double seconds, string text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds <= 0 || seconds > TimeSpan.FromDays(7).TotalSeconds)
        {
            error = $"'{text}' is out of range: use more than 0 and at most 7 days";
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
