using Microsoft.Extensions.Time.Testing;

namespace TestKit.Time;

/// <summary>
/// Thin helpers over <see cref="FakeTimeProvider"/> (Microsoft.Extensions.TimeProvider.Testing), the one fake clock:
/// a provider starting at a fixed, readable instant, and stepping that fires due timers one step at a time.
/// </summary>
public static class FakeClock
{
    /// <summary>2025-05-01T10:00:00Z: every test that does not care about the date sees the same one.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock at <paramref name="start"/> (default <see cref="Epoch"/>), UTC local zone.</summary>
    public static FakeTimeProvider Create(DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Epoch);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    /// <summary>
    /// Advances in steps of <paramref name="step"/> until <paramref name="total"/> has passed, so timers due in between
    /// fire in order (one Advance of the whole span fires each timer at most once).
    /// </summary>
    public static void AdvanceInSteps(this FakeTimeProvider clock, TimeSpan total, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "the step must be positive");
        }

        for (var passed = TimeSpan.Zero; passed < total; passed += step)
        {
            clock.Advance(step <= total - passed ? step : total - passed);
        }
    }
}
