namespace Injector.Hosting;

/// <summary>
/// Decides when changed file content may be used: only after two reads at least the settle time apart return the
/// same bytes, so a file being written in place (truncate, then write in pieces) is never used half-written.
/// Content already handled (used or refused) is not handled again until it changes.
/// </summary>
internal sealed class ContentSettler(TimeSpan settleTime, TimeProvider time)
{
    private byte[] _handled = [];
    private byte[]? _candidate;
    private long _candidateSince;

    /// <summary>Classifies one read, identified by its <paramref name="fingerprint"/> (a hash of the bytes).</summary>
    public ContentState Observe(byte[] fingerprint)
    {
        if (fingerprint.AsSpan().SequenceEqual(_handled))
        {
            _candidate = null;
            return ContentState.Unchanged;
        }

        var now = time.GetTimestamp();
        if (_candidate is null || !fingerprint.AsSpan().SequenceEqual(_candidate))
        {
            _candidate = fingerprint;
            _candidateSince = now;
            return ContentState.Changing;
        }

        return time.GetElapsedTime(_candidateSince, now) >= settleTime ? ContentState.Settled : ContentState.Changing;
    }

    /// <summary>Records that the content with <paramref name="fingerprint"/> was used or refused.</summary>
    public void Handled(byte[] fingerprint)
    {
        _handled = fingerprint;
        _candidate = null;
    }
}
