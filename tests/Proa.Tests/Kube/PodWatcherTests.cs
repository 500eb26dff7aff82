using System.Runtime.CompilerServices;
using System.Text.Json;
using Proa.Kube;
using Proa.Tests.Infrastructure;
using Sidecars.Kube;

namespace Proa.Tests.Kube;

public sealed class PodWatcherTests
{
    /// <summary>Scripted API: each GET and each watch takes the next entry of its script.</summary>
    private sealed class ScriptedApi(Queue<Func<JsonDocument>> gets, Queue<Func<IEnumerable<KubeWatchEvent>>> watches) : IPodApi
    {
        public List<string> Calls { get; } = [];

        public string Describe => "scripted";

        public Task<JsonDocument> GetPodAsync(CancellationToken cancellationToken)
        {
            Calls.Add("GET");
            return Task.FromResult(gets.Dequeue()());
        }

        public async IAsyncEnumerable<KubeWatchEvent> WatchPodAsync(string? resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Calls.Add("WATCH " + resourceVersion);
            await Task.Yield();
            if (watches.Count == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            foreach (var e in watches.Dequeue()())
            {
                yield return e;
            }
        }
    }

    private static JsonDocument Doc(string rv) => JsonDocument.Parse(TestPods.NotReady().Set("metadata.resourceVersion", rv).ToJsonString());

    private static KubeWatchEvent Event(string type, string rv) => new(type, TestPods.NotReady().Set("metadata.resourceVersion", rv).Element());

    [Fact]
    public async Task Lists_then_watches_from_the_listed_version_and_follows_bookmarks()
    {
        var api = new ScriptedApi(
            new([() => Doc("10")]),
            new([() => [Event("MODIFIED", "11"), new KubeWatchEvent("BOOKMARK", JsonDocument.Parse("""{"metadata":{"resourceVersion":"15"}}""").RootElement)], () => [Event("MODIFIED", "16")]]));
        var seen = new List<string>();
        var result = await new PodWatcher(api).WatchUntilAsync(
            u => { seen.Add(u.Pod.GetProperty("metadata").GetProperty("resourceVersion").GetString()!); return seen.Count == 3 ? "done" : null; },
            CancellationToken.None);

        Assert.Equal("done", result);
        Assert.Equal(["10", "11", "16"], seen);
        Assert.Equal(["GET", "WATCH 10", "WATCH 15"], api.Calls);
    }

    [Fact]
    public async Task Gone_relists_and_errors_retry()
    {
        var api = new ScriptedApi(
            new([() => throw new HttpRequestException("connection refused"), () => Doc("10"), () => Doc("20")]),
            new([() => throw new KubeApiException(410, "Expired", "too old"), () => [Event("MODIFIED", "21")]]));
        var watcher = new PodWatcher(api);
        var count = 0;
        await watcher.WatchUntilAsync(_ => ++count == 3 ? "done" : null, CancellationToken.None);

        Assert.Equal(["GET", "GET", "WATCH 10", "GET", "WATCH 20"], api.Calls);
        Assert.Equal("connection refused", watcher.LastError);
    }

    [Fact]
    public async Task Not_found_and_deleted_are_reported_as_gone()
    {
        var api = new ScriptedApi(new([() => throw new KubeApiException(404, "NotFound", "pods \"x\" not found")]), new());
        var update = await new PodWatcher(api).WatchUntilAsync(u => u, CancellationToken.None);
        Assert.True(update.Deleted);

        var deleted = new ScriptedApi(new([() => Doc("1")]), new([() => [Event("DELETED", "2")]]));
        var count = 0;
        var last = await new PodWatcher(deleted).WatchUntilAsync(u => ++count == 2 ? u : null, CancellationToken.None);
        Assert.True(last.Deleted);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait()
    {
        var api = new ScriptedApi(new([() => Doc("1")]), new());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PodWatcher(api).WatchUntilAsync<string>(_ => null, cts.Token));
    }
}
