using Microsoft.Extensions.Time.Testing;

namespace Controllers.Kube.Tests;

public sealed class WorkQueueTests
{
    private static async Task<string?> TryGetAsync(WorkQueue<string> q)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try
        {
            var (ok, item) = await q.GetAsync(cts.Token);
            return ok ? item : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_key_added_many_times_while_waiting_is_handed_out_once()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        q.Add("a");
        q.Add("b");
        Assert.Equal("a", await TryGetAsync(q));
        Assert.Equal("b", await TryGetAsync(q));
        Assert.Null(await TryGetAsync(q));
    }

    [Fact]
    public async Task A_key_added_while_processing_comes_back_only_after_done()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        Assert.Equal("a", await TryGetAsync(q));
        q.Add("a");
        Assert.Null(await TryGetAsync(q)); // never two workers on one key
        q.Done("a");
        Assert.Equal("a", await TryGetAsync(q));
        q.Done("a");
        Assert.Null(await TryGetAsync(q));
    }

    [Fact]
    public async Task AddAfter_waits_for_the_clock_and_the_earliest_schedule_wins()
    {
        var clock = new FakeTimeProvider();
        using var q = new WorkQueue<string>(clock);
        q.AddAfter("a", TimeSpan.FromSeconds(30));
        q.AddAfter("a", TimeSpan.FromSeconds(10));
        q.AddAfter("a", TimeSpan.FromSeconds(20));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(await TryGetAsync(q));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a", await TryGetAsync(q));
        q.Done("a");
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await TryGetAsync(q)); // the later schedules were dropped
    }

    [Fact]
    public async Task Failures_back_off_exponentially_until_forgotten()
    {
        var clock = new FakeTimeProvider();
        using var q = new WorkQueue<string>(clock, baseDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(5));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            q.AddRateLimited("a");
            var waited = TimeSpan.Zero;
            string? got = null;
            while (got is null && waited < TimeSpan.FromSeconds(10))
            {
                clock.Advance(TimeSpan.FromMilliseconds(500));
                waited += TimeSpan.FromMilliseconds(500);
                got = await TryGetAsync(q);
            }

            Assert.Equal("a", got);
            q.Done("a");
            delays.Add(waited);
        }

        Assert.Equal([1, 2, 4, 5, 5], delays.Select(d => (int)Math.Ceiling(d.TotalSeconds)));
        Assert.Equal(5, q.Failures("a"));
        q.Forget("a");
        Assert.Equal(0, q.Failures("a"));
    }

    [Fact]
    public async Task Shutdown_releases_waiting_workers()
    {
        using var q = new WorkQueue<string>();
        var waiting = q.GetAsync(CancellationToken.None);
        q.ShutDown();
        var (ok, _) = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(ok);
    }
}
