namespace Sidecars.Kube;

/// <summary>
/// Exponential backoff with a cap and +-20% jitter (so many pods do not retry in lockstep). The one backoff of the
/// sidecars and the RoleBinding loop.
/// </summary>
public sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        if (initial <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), "the first delay must be positive");
        }

        _initial = initial;
        _max = max < initial ? initial : max;
        _random = random ?? Random.Shared;
        _next = initial;
    }

    /// <summary>The delay before the next attempt; each call doubles the following one, up to the cap.</summary>
    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));
        return current * (0.8 + (_random.NextDouble() * 0.4));
    }

    /// <summary>After a success: the next delay is the initial one again.</summary>
    public void Reset() => _next = _initial;
}
