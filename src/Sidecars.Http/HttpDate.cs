namespace Sidecars.Http;

/// <summary>
/// The IMF-fixdate for the <c>Date</c> header (RFC 9110 6.6.1: an origin server with a clock must send it),
/// formatted at most once per second and shared by all connections. Formatted by hand: DateTime's "R" format
/// initialises culture data that costs each sidecar about half a MiB of resident memory on its first response.
/// </summary>
internal sealed class HttpDate(TimeProvider time)
{
    private Stamp? _current;

    public ReadOnlySpan<byte> Now
    {
        get
        {
            var now = time.GetUtcNow();
            var second = now.ToUnixTimeSeconds();
            var stamp = Volatile.Read(ref _current);
            if (stamp is null || stamp.Second != second)
            {
                // A benign race: two threads may format the same second; both results are correct.
                stamp = new Stamp(second, Format(now.UtcDateTime));
                Volatile.Write(ref _current, stamp);
            }

            return stamp.Bytes;
        }
    }

    /// <summary><c>Sun, 06 Nov 1994 08:49:37 GMT</c>.</summary>
    internal static byte[] Format(DateTime utc)
    {
        var bytes = new byte[29];
        var span = bytes.AsSpan();
        "SunMonTueWedThuFriSat"u8.Slice((int)utc.DayOfWeek * 3, 3).CopyTo(span);
        ", "u8.CopyTo(span[3..]);
        Digits(span.Slice(5, 2), utc.Day);
        span[7] = (byte)' ';
        "JanFebMarAprMayJunJulAugSepOctNovDec"u8.Slice((utc.Month - 1) * 3, 3).CopyTo(span[8..]);
        span[11] = (byte)' ';
        Digits(span.Slice(12, 4), utc.Year);
        span[16] = (byte)' ';
        Digits(span.Slice(17, 2), utc.Hour);
        span[19] = (byte)':';
        Digits(span.Slice(20, 2), utc.Minute);
        span[22] = (byte)':';
        Digits(span.Slice(23, 2), utc.Second);
        " GMT"u8.CopyTo(span[25..]);
        return bytes;
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private sealed record Stamp(long Second, byte[] Bytes);
}
