using System.Globalization;

namespace Rollout.Cli;

/// <summary>
/// <c>--only-started-before</c>: an RFC 3339 time (<c>2022-05-01T13:00:00Z</c>, <c>2022-05-01T15:00:00+02:00</c>), or
/// the original tool's <c>2022-05-01 13:00</c> and a bare date, which are read as UTC (the original read them in the
/// machine's local zone, so the same command meant different instants on different machines).
/// </summary>
public static class StartedBefore
{
    private static readonly string[] ZonelessFormats =
    [
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    public static DateTimeOffset Parse(string text)
    {
        var s = (text ?? "").Trim();
        if (s.Length == 0)
        {
            throw new FormatException("needs a time, e.g. 2025-05-01T13:00:00Z");
        }

        var hasZone = s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 10 && (s.LastIndexOf('+') > 10 || s.LastIndexOf('-') > 10));
        if (hasZone && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var zoned))
        {
            return zoned.ToUniversalTime();
        }

        if (DateTime.TryParseExact(s, ZonelessFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc))
        {
            return new DateTimeOffset(utc, TimeSpan.Zero);
        }

        throw new FormatException($"'{s}' is not a time: use RFC 3339 (2025-05-01T13:00:00Z or with an offset) or '2025-05-01 13:00' (read as UTC)");
    }
}
