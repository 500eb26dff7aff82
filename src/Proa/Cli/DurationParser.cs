using System.Globalization;

namespace Proa.Cli;

/// <summary>
/// Parses Go-style durations as used by Kubernetes tooling ("90s", "5m", "1h30m", "500ms") and plain seconds ("90").
/// Only digits and a decimal point make a number: "NaN", "Infinity", "1e400" and signs are not durations.
/// </summary>
internal static class DurationParser
{
    /// <summary>The longest duration accepted: timers cannot wait much longer (about 49 days), and nothing proa does
    /// needs more than a day.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    /// <returns>False with <paramref name="error"/> (a clause such as "is not a duration") when <paramref name="text"/> is not one.</returns>
    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = "is not a duration (examples: 90s, 5m, 1h30m, 120)";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var total = 0.0; // seconds; a double cannot overflow here, and the range is checked once at the end
        var i = 0;
        var parts = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var unit = text.AsSpan(unitStart, i - unitStart);
            double? seconds = unit switch
            {
                "" when parts == 0 && i == text.Length => number,
                "ms" => number / 1000,
                "s" => number,
                "m" => number * 60,
                "h" => number * 3600,
                _ => null,
            };
            if (seconds is null)
            {
                return false;
            }

            total += seconds.Value;
            parts++;
        }

        if (!double.IsFinite(total) || total > Max.TotalSeconds)
        {
            error = $"is longer than {Max.TotalHours:0}h, the longest proa accepts";
            return false;
        }

        value = TimeSpan.FromSeconds(total);
        error = null;
        return true;
    }
}
