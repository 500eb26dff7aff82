using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Sidecars.Kube.Tests.Support;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Sidecars.Kube.Tests;

/// <summary>
/// The one list-watch loop against the stand-in API server (real HTTP, real paging, watch streams, bookmarks, 410s and
/// faults), with its timings shortened so each behaviour shows in about a second.
/// </summary>
public sealed class ListWatchTests : IAsyncLifetime
{
    private const string Path = "/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb";

    private static readonly ListWatchOptions Fast = new()
    {
        PageSize = 10,
        WatchTimeout = TimeSpan.FromSeconds(30),
        IdleGrace = TimeSpan.FromSeconds(1),
        MinBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(800),
        HealthyAfter = TimeSpan.FromMilliseconds(500),
    };

    private readonly TempDirectory _dir = new();
    private readonly CancellationTokenSource _stop = new();
    private KubeApiServer _server = null!;
    private KubeApiClient _client = null!;
    private Task? _running;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _client = KubeApiClient.Create(_server.WriteKubeconfig(_dir.File("kubeconfig"), ns: "shop"));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _running);
        }

        _client.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
        _stop.Dispose();
    }

    private void Start(RecordingHandler handler, ListWatchOptions? options = null) =>
        _running = new ListWatch(_client, Path, options ?? Fast).RunAsync(handler, _stop.Token);

    private JsonObject AddPod(string name, string app = "web") =>
        _server.Store.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop", ["labels"] = new JsonObject { ["app"] = app } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }) },
        });

    private IReadOnlyList<RecordedRequest> Lists => _server.Requests.Where(r => r.Verb == "list" && r.Path == "/api/v1/namespaces/shop/pods");

    private IReadOnlyList<RecordedRequest> Watches => _server.Requests.Where(r => r.IsWatch && r.Path == "/api/v1/namespaces/shop/pods");

    private static Func<string> Diagnostics(RecordingHandler handler, KubeApiServer server) =>
        () => handler.Describe() + "\nrequests:\n  " + string.Join("\n  ", server.Requests.All);

    [Fact]
    public async Task Lists_every_page_then_watches_from_the_lists_resource_version()
    {
        for (var i = 0; i < 25; i++)
        {
            AddPod($"web-{i:00}");
        }

        AddPod("other", app: "admin");
        var handler = new RecordingHandler();
        Start(handler);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "the watch to open", diagnostics: Diagnostics(handler, _server));

        var list = Assert.Single(handler.Lists);
        Assert.Equal(ListReason.Initial, list.Reason);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"web-{i:00}"), list.Names.Order());
        Assert.Equal(3, Lists.Count);
        Assert.All(Lists, r => Assert.Equal("10", r.Query["limit"]));
        Assert.Null(Lists[0].Query["continue"]);
        Assert.NotNull(Lists[1].Query["continue"]);
        var watch = Assert.Single(Watches);
        Assert.Equal("true", watch.Query["allowWatchBookmarks"]);
        Assert.Equal("30", watch.Query["timeoutSeconds"]);
        Assert.Equal(_server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), watch.Query["resourceVersion"]);

        AddPod("web-new");
        _server.Store.Mutate(ResourceTypes.Pod, "shop", "web-00", p => p.Metadata()["annotations"] = new JsonObject { ["x"] = "1" });
        _server.Store.Delete(ResourceTypes.Pod, "shop", "web-01");
        AddPod("not-web", app: "admin");
        await Eventually.TrueAsync(() => handler.Events.Count >= 3, "three events", diagnostics: Diagnostics(handler, _server));
        Assert.Equal([("ADDED", "web-new"), ("MODIFIED", "web-00"), ("DELETED", "web-01")], handler.Events.Select(e => (e.Type, e.Name)));
    }

    [Fact]
    public async Task Resumes_from_bookmarks_and_closed_streams_without_listing_again()
    {
        AddPod("web-1");
        var handler = new RecordingHandler();
        Start(handler);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "the watch to open");

        AddPod("unrelated", app: "admin"); // moves the resourceVersion without an event for this watch
        _server.Store.SendBookmarks();
        var bookmark = _server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        _server.Store.CloseWatches(); // the stream ends after the bookmark already queued on it
        await Eventually.TrueAsync(() => Watches.Count == 2 && _server.Store.OpenWatches() == 1, "the watch to reopen", diagnostics: Diagnostics(handler, _server));

        Assert.Equal(bookmark, Watches[1].Query["resourceVersion"]);
        Assert.Single(Lists);
        Assert.Single(handler.Lists);
        Assert.Empty(handler.Events);
    }

    [Fact]
    public async Task An_expired_continue_token_starts_the_list_over()
    {
        for (var i = 0; i < 25; i++)
        {
            AddPod($"web-{i:00}");
        }

        // Compact the store just before the second page is served: the server then answers 410 for the token.
        var compacted = 0;
        _server.Faults.Add(KubeFault.Delay(TimeSpan.Zero), r =>
        {
            if (r.Query["continue"] is not null && Interlocked.Exchange(ref compacted, 1) == 0)
            {
                AddPod("meanwhile", app: "admin"); // a write, then compaction: the token's resourceVersion is gone
                _server.Store.Compact();
            }

            return false;
        });
        var handler = new RecordingHandler();
        Start(handler);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "the watch to open", diagnostics: Diagnostics(handler, _server));

        Assert.Equal([200, 410, 200, 200, 200], Lists.Select(r => r.StatusCode));
        var relist = Assert.Single(handler.NoticesOf(ListWatchNoticeKind.Relisting));
        Assert.Contains("the continue token expired between pages, so the list starts over", relist.Message, StringComparison.Ordinal);
        Assert.Equal(25, Assert.Single(handler.Lists).Names.Count); // the broken first attempt is never handed over
    }

    [Fact]
    public async Task A_410_error_event_in_the_stream_or_a_410_status_lists_again()
    {
        AddPod("web-1");
        var handler = new RecordingHandler();
        Start(handler);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "the watch to open");

        _server.Store.ExpireWatches(); // ERROR event with a 410 Status, then the stream ends
        await Eventually.TrueAsync(() => handler.Lists.Count == 2 && _server.Store.OpenWatches() == 1, "a relist after the ERROR event", diagnostics: Diagnostics(handler, _server));

        _server.Faults.FailNext(KubeFault.Status(410, "Expired", "too old resource version"), when: r => r.IsWatch);
        _server.Store.CloseWatches();
        await Eventually.TrueAsync(() => handler.Lists.Count == 3, "a relist after HTTP 410", diagnostics: Diagnostics(handler, _server));

        Assert.Equal([ListReason.Initial, ListReason.Relist, ListReason.Relist], handler.Lists.Select(l => l.Reason));
        Assert.Equal([410, 410], handler.NoticesOf(ListWatchNoticeKind.Relisting).Select(n => n.StatusCode));
    }

    [Theory]
    [InlineData("error event")]
    [InlineData("http status")]
    public async Task An_api_that_answers_every_watch_with_410_is_backed_off_with_jitter(string how)
    {
        // The defect: shawarma relisted about ten times a second, proa burned 20% CPU. Now each relist waits longer.
        AddPod("web-1");
        if (how == "error event")
        {
            // The real thing: the requested resourceVersion is compacted away before every watch opens.
            _server.Faults.Add(KubeFault.Delay(TimeSpan.Zero), r =>
            {
                if (r.IsWatch)
                {
                    _server.Store.ExpireWatches();
                }

                return false;
            });
        }
        else
        {
            _server.Faults.Add(KubeFault.Status(410, "Expired", "too old resource version"), r => r.IsWatch);
        }

        var handler = new RecordingHandler();
        var started = Stopwatch.GetTimestamp();
        Start(handler);
        await Eventually.TrueAsync(() => handler.NoticesOf(ListWatchNoticeKind.Relisting).Count >= 5, "five relists", diagnostics: Diagnostics(handler, _server));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var delays = handler.NoticesOf(ListWatchNoticeKind.Relisting).Take(5).Select(n => n.Delay.TotalMilliseconds).ToList();
        double[] nominal = [100, 200, 400, 800, 800];
        for (var i = 0; i < delays.Count; i++)
        {
            Assert.InRange(delays[i], nominal[i] * 0.8, nominal[i] * 1.2); // exponential, capped, +-20% jitter
        }

        Assert.True(delays.Distinct().Count() > 1, "no jitter");
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(delays.Take(4).Sum()), $"5 relists came after {elapsed}; the backoff was not waited");
        Assert.InRange(Lists.Count, 5, 7);
    }

    [Fact]
    public async Task The_backoff_resets_once_a_watch_has_stayed_open()
    {
        AddPod("web-1");
        using (_server.Faults.Add(KubeFault.Status(410, "Expired", "too old"), r => r.IsWatch))
        {
            var handler = new RecordingHandler();
            Start(handler);
            await Eventually.TrueAsync(() => handler.NoticesOf(ListWatchNoticeKind.Relisting).Count >= 3, "three relists");
            Assert.InRange(handler.NoticesOf(ListWatchNoticeKind.Relisting)[2].Delay.TotalMilliseconds, 320, 480);

            // Healthy for longer than HealthyAfter, then one more 410: the delay starts over.
            _server.Faults.Clear();
            await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "a watch that holds");
            await Task.Delay(Fast.HealthyAfter + TimeSpan.FromMilliseconds(200));
            _server.Store.ExpireWatches();
            await Eventually.TrueAsync(() => handler.NoticesOf(ListWatchNoticeKind.Relisting).Count >= 4, "the next relist", diagnostics: Diagnostics(handler, _server));
            Assert.InRange(handler.NoticesOf(ListWatchNoticeKind.Relisting)[3].Delay.TotalMilliseconds, 80, 120);
        }
    }

    [Fact]
    public async Task A_watch_that_never_answers_is_given_up_after_the_watch_timeout_plus_the_idle_grace()
    {
        AddPod("web-1");
        _server.Faults.FailNext(KubeFault.Hang(), when: r => r.IsWatch);
        var handler = new RecordingHandler();
        var options = new ListWatchOptions
        {
            WatchTimeout = TimeSpan.FromSeconds(1),
            IdleGrace = TimeSpan.FromMilliseconds(500),
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
        };
        Start(handler, options);
        await Eventually.TrueAsync(() => Watches.Count == 2, "a second watch", diagnostics: Diagnostics(handler, _server));

        var gap = Watches[1].Time - Watches[0].Time;
        Assert.InRange(gap, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(5));
        Assert.Contains(handler.NoticesOf(ListWatchNoticeKind.Retrying), n => n.Message.Contains("no answer in time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_watch_that_goes_silent_after_its_headers_ends_at_the_idle_timeout()
    {
        // A connection that died without a word: headers came, then nothing, and the server's timeoutSeconds never
        // arrives either. The client's idle timer (timeout + grace) ends it, not 5 minutes later.
        using var client = new KubeApiClient(new Uri("https://api.example"), new SilentStreamHandler(), () => null);
        var started = Stopwatch.GetTimestamp();
        await foreach (var _ in client.WatchAsync("/api/v1/pods", "1", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), null, _stop.Token))
        {
            Assert.Fail("no event was sent");
        }

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Forbidden_and_server_errors_back_off_and_recover()
    {
        AddPod("web-1");
        _server.Faults.FailNext(KubeFault.Forbidden("system:serviceaccount:shop:default"), when: r => r.Verb == "list");
        _server.Faults.FailNext(KubeFault.InternalError(), when: r => r.Verb == "list");
        _server.Faults.FailNext(KubeFault.PlainText(502, "bad gateway"), when: r => r.IsWatch);
        var handler = new RecordingHandler();
        Start(handler);
        await Eventually.TrueAsync(() => handler.Lists.Count == 2 && _server.Store.OpenWatches() == 1, "listed and watching after the faults", diagnostics: Diagnostics(handler, _server));

        var retries = handler.NoticesOf(ListWatchNoticeKind.Retrying);
        Assert.Equal([403, 500, 502], retries.Select(n => n.StatusCode));
        Assert.Contains("cannot list resource \"pods\"", retries[0].Message, StringComparison.Ordinal);
        Assert.True(retries[1].Delay > retries[0].Delay * 1.3, "the backoff did not grow");
    }

    [Fact]
    public async Task A_stream_that_ends_at_once_is_not_reopened_in_a_hot_loop()
    {
        AddPod("web-1");
        _server.Faults.Add(KubeFault.PlainText(200, ""), r => r.IsWatch);
        var handler = new RecordingHandler();
        Start(handler);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.InRange(Watches.Count, 2, 7); // 100, 200, 400, 800 ms: four or five in 1.5 s, not hundreds
        Assert.Single(Lists);
    }

    [Fact]
    public async Task A_handler_retry_backs_off_and_lists_again_and_stop_ends_the_run()
    {
        AddPod("web-1");
        var handler = new RecordingHandler { OnList = (reason, _) => reason == ListReason.Initial ? ListWatchStep.Retry : ListWatchStep.Continue };
        Start(handler);
        await Eventually.TrueAsync(() => handler.Lists.Count == 2 && _server.Store.OpenWatches() == 1, "a second list");
        Assert.Equal(ListReason.Relist, handler.Lists.Last().Reason);

        var stopper = new RecordingHandler { OnEvent = (_, name) => name == "web-2" ? ListWatchStep.Stop : ListWatchStep.Continue };
        var run = new ListWatch(_client, Path, Fast).RunAsync(stopper, CancellationToken.None);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 2, "the second watcher");
        AddPod("web-2");
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Resync_lists_again_on_schedule()
    {
        AddPod("web-1");
        var handler = new RecordingHandler();
        Start(handler, new ListWatchOptions { ResyncPeriod = TimeSpan.FromMilliseconds(600), MinBackoff = TimeSpan.FromMilliseconds(50) });
        await Eventually.TrueAsync(() => handler.Lists.Count >= 3, "two resyncs", diagnostics: Diagnostics(handler, _server));
        Assert.Equal([ListReason.Initial, ListReason.Resync, ListReason.Resync], handler.Lists.Take(3).Select(l => l.Reason));
        Assert.Empty(handler.NoticesOf(ListWatchNoticeKind.Retrying));
        Assert.All(Watches, w => Assert.InRange(int.Parse(w.Query["timeoutSeconds"]!, CultureInfo.InvariantCulture), 1, 1));
    }

    /// <summary>200 with headers, then a body that never yields a byte until the request is cancelled.</summary>
    private sealed class SilentStreamHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentStream()) });
    }

    private sealed class SilentStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
