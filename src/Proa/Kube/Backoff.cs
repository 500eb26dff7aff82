namespace Proa.Kube;

/// <summary>Exponential backoff with jitter for API retries: 250ms doubling up to 5s.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    public Backoff()
        : this(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5))
    {
    }

    public void Reset() => _next = _initial;

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        // Up to 20% jitter so many pods restarted together do not hammer the API server in lockstep.
        return current + TimeSpan.FromTicks((long)(current.Ticks * 0.2 * Random.Shared.NextDouble()));
    }
}
