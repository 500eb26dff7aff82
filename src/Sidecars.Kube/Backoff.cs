namespace Sidecars.Kube;

/// <summary>Exponential backoff with a cap and +-20% jitter (so many pods do not retry in lockstep).</summary>
public sealed class Backoff
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

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));
        return current * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    public void Reset() => _next = _initial;
}
