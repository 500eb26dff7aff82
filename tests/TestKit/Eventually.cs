using System.Diagnostics;

namespace TestKit;

/// <summary>
/// The one way tests wait: poll a condition until it holds or a deadline passes, then fail with a message that says
/// what was awaited, for how long, and (optionally) what the world looked like. Never a bare sleep.
/// </summary>
public static class Eventually
{
    /// <summary>Generous by default: a loaded 2-core CI machine is slow, a correct program is not waited on longer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> returns true.</summary>
    /// <exception cref="TimeoutException">The deadline passed; the message names <paramref name="what"/>.</exception>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, timeout, diagnostics, cancellationToken);
    }

    /// <summary>Waits until the asynchronous <paramref name="condition"/> returns true.</summary>
    /// <exception cref="TimeoutException">The deadline passed; the message names <paramref name="what"/>.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null,
        Func<string>? diagnostics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await ValueAsync(async () => await condition().ConfigureAwait(false) ? true : (bool?)null, what, timeout, diagnostics, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Waits until <paramref name="probe"/> returns a non-null value and returns it.</summary>
    /// <exception cref="TimeoutException">The deadline passed; the message names <paramref name="what"/>.</exception>
    public static Task<T> ValueAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        return ValueAsync(() => Task.FromResult(probe()), what, timeout, diagnostics, cancellationToken);
    }

    /// <summary>Waits until the asynchronous <paramref name="probe"/> returns a non-null value and returns it.</summary>
    /// <exception cref="TimeoutException">The deadline passed; the message names <paramref name="what"/>.</exception>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null,
        Func<string>? diagnostics = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        return (await Poll(async () => await probe().ConfigureAwait(false) is { } value ? new Box<T>(value) : null, what, timeout, diagnostics, cancellationToken)
            .ConfigureAwait(false)).Value;
    }

    /// <summary>Waits until <paramref name="probe"/> returns a value (struct version).</summary>
    /// <exception cref="TimeoutException">The deadline passed; the message names <paramref name="what"/>.</exception>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null,
        Func<string>? diagnostics = null, CancellationToken cancellationToken = default)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(probe);
        return (await Poll(async () => await probe().ConfigureAwait(false) is { } value ? new Box<T>(value) : null, what, timeout, diagnostics, cancellationToken)
            .ConfigureAwait(false)).Value;
    }

    private static async Task<Box<T>> Poll<T>(Func<Task<Box<T>?>> probe, string what, TimeSpan? timeout, Func<string>? diagnostics,
        CancellationToken cancellationToken)
    {
        var limit = timeout ?? DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        Exception? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await probe().ConfigureAwait(false) is { } found)
                {
                    return found;
                }

                last = null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A probe that throws (a connection refused while a server starts) is "not yet"; the last error is reported.
                last = e;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= limit)
            {
                var message = $"timed out after {elapsed.TotalSeconds:0.0}s waiting for: {what}";
                if (last is not null)
                {
                    message += $"\nlast error: {last.GetType().Name}: {last.Message}";
                }

                if (diagnostics is not null)
                {
                    message += "\n" + diagnostics();
                }

                throw new TimeoutException(message, last);
            }

            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Box<T>(T Value);
}
