using System.Globalization;
using System.Text;

namespace Sidecars.Http;

/// <summary>
/// The IMF-fixdate for the <c>Date</c> header (RFC 9110 6.6.1: an origin server with a clock must send it),
/// formatted at most once per second and shared by all connections.
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
                stamp = new Stamp(second, Encoding.ASCII.GetBytes(now.ToString("R", CultureInfo.InvariantCulture)));
                Volatile.Write(ref _current, stamp);
            }

            return stamp.Bytes;
        }
    }

    private sealed record Stamp(long Second, byte[] Bytes);
}
