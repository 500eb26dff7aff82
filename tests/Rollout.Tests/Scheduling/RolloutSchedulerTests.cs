using Microsoft.Extensions.Time.Testing;
using Rollout.Scheduling;

namespace Rollout.Tests.Scheduling;

/// <summary>
/// The scheduler driven tick by tick on a fake clock (Flagger's style): each job takes a fixed time on that clock; the
/// test advances it and checks who started when. No sleeps: each step waits only for the scheduler to react.
/// </summary>
public sealed class RolloutSchedulerTests
{
    [Fact]
    public async Task Jobs_start_as_slots_free_up_per_namespace_and_overall()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var durations = new Dictionary<string, int> { ["a/1"] = 10, ["a/2"] = 10, ["b/1"] = 30, ["c/1"] = 10, ["c/2"] = 10 };
        var log = new Log(clock);

        var run = RolloutScheduler.RunAsync(durations.Keys.ToList(), Ns, (job, ct) => log.Run(job, durations[job], ct), failed => failed,
            new SchedulerOptions(Parallel: 2, MaxPerNamespace: 1), CancellationToken.None, CancellationToken.None, log.Started);

        await log.WaitForStarts(2);
        Assert.Equal(["0 a/1", "0 b/1"], log.Starts);
        await Advance(clock, log, 10, starts: 3);
        Assert.Equal(["0 a/1", "0 b/1", "10 a/2"], log.Starts); // c waits for a slot overall, a/2 is first in line
        await Advance(clock, log, 10, starts: 4);
        Assert.Equal("20 c/1", log.Starts[3]);
        await Advance(clock, log, 10, starts: 5);
        Assert.Equal("30 c/2", log.Starts[4]);
        clock.Advance(TimeSpan.FromSeconds(10));
        var results = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, r => Assert.False(r.Outcome));
        Assert.Equal(2, log.MaxRunning);
    }

    [Fact]
    public async Task A_stop_lets_running_jobs_finish_and_reports_the_rest_as_not_started()
    {
        var clock = new FakeTimeProvider();
        var log = new Log(clock);
        using var stop = new CancellationTokenSource();

        var run = RolloutScheduler.RunAsync(["a/1", "b/1", "c/1"], Ns, (job, ct) => log.Run(job, 10, ct), failed => failed,
            new SchedulerOptions(Parallel: 2), stop.Token, CancellationToken.None, log.Started);
        await log.WaitForStarts(2);
        await stop.CancelAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        var results = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([false, false], results.Take(2).Select(r => r.Outcome));
        Assert.Equal(NotStartedReason.Interrupted, results[2].NotStarted);
        Assert.Equal(2, log.Starts.Count);
    }

    [Fact]
    public async Task Abort_reaches_the_running_jobs()
    {
        var clock = new FakeTimeProvider();
        var log = new Log(clock);
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();

        var run = RolloutScheduler.RunAsync(["a/1"], Ns, (job, ct) => log.Run(job, 1000, ct), failed => failed,
            new SchedulerOptions(), stop.Token, abort.Token, log.Started);
        await log.WaitForStarts(1);
        await stop.CancelAsync();
        await abort.CancelAsync();
        var results = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(results[0].Outcome); // the job saw the abort and ended (as "failed" in this test's terms)
    }

    [Fact]
    public async Task Failures_count_toward_the_limit_in_completion_order()
    {
        var clock = new FakeTimeProvider();
        var log = new Log(clock);

        var run = RolloutScheduler.RunAsync(["a/1", "b/1", "c/1", "d/1"], Ns, (job, ct) => log.Run(job, 10, ct, fail: job != "b/1"), failed => failed,
            new SchedulerOptions(Parallel: 1, MaxFailures: 2), CancellationToken.None, CancellationToken.None, log.Started);
        await log.WaitForStarts(1);
        await Advance(clock, log, 10, starts: 2);
        await Advance(clock, log, 10, starts: 3);
        clock.Advance(TimeSpan.FromSeconds(10));
        var results = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["0 a/1", "10 b/1", "20 c/1"], log.Starts);
        Assert.Equal(NotStartedReason.TooManyFailures, results[3].NotStarted);
    }

    private static string Ns(string job) => job.Split('/')[0];

    private static async Task Advance(FakeTimeProvider clock, Log log, int seconds, int starts)
    {
        clock.Advance(TimeSpan.FromSeconds(seconds));
        await log.WaitForStarts(starts);
    }

    /// <summary>
    /// Jobs that take a given time on the fake clock. Starts are recorded by the scheduler's callback, in the order it
    /// decides them (jobs then run concurrently); a start counts as seen once the job's timer is on the clock, so a
    /// test that advances on seeing it is never early.
    /// </summary>
    private sealed class Log(FakeTimeProvider clock)
    {
        private readonly Lock _gate = new();
        private readonly DateTimeOffset _start = clock.GetUtcNow();
        private readonly List<string> _starts = [];
        private int _timers;
        private int _running;

        public int MaxRunning { get; private set; }

        public List<string> Starts
        {
            get
            {
                lock (_gate)
                {
                    return [.. _starts];
                }
            }
        }

        public void Started(string job)
        {
            lock (_gate)
            {
                _starts.Add($"{(int)(clock.GetUtcNow() - _start).TotalSeconds} {job}");
            }
        }

        public async Task<bool> Run(string job, int seconds, CancellationToken ct, bool fail = false)
        {
            var work = Task.Delay(TimeSpan.FromSeconds(seconds), clock, ct);
            lock (_gate)
            {
                _timers++;
                MaxRunning = Math.Max(MaxRunning, ++_running);
            }

            try
            {
                await work;
                return fail;
            }
            catch (OperationCanceledException)
            {
                return true;
            }
            finally
            {
                lock (_gate)
                {
                    _running--;
                }
            }
        }

        public Task WaitForStarts(int count) =>
            Eventually.TrueAsync(() => Starts.Count >= count && Volatile.Read(ref _timers) >= count, $"{count} jobs started (so far: {string.Join(", ", Starts)})", TimeSpan.FromSeconds(10));
    }
}
