using System.Globalization;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using TestKit.Kube;

namespace TestKit.Tests.Kube;

/// <summary>Watch streams driven by KubernetesClient's watcher: initial state, replay, bookmarks, selectors, 410, timeout.</summary>
public sealed class WatchTests
{
    private static async Task<(Channel<(WatchEventType Type, V1ConfigMap Object)> Events, Channel<Exception> Errors, IDisposable Watch)> WatchAsync(
        StandIn kube, string? resourceVersion = null, string? labelSelector = null, bool bookmarks = true, int? timeoutSeconds = null)
    {
        var events = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
        var errors = Channel.CreateUnbounded<Exception>();
        var watcher = kube.Client.CoreV1.WatchListNamespacedConfigMap("shop", resourceVersion: resourceVersion,
            labelSelector: labelSelector, allowWatchBookmarks: bookmarks, timeoutSeconds: timeoutSeconds,
            onEvent: (type, item) => events.Writer.TryWrite((type, item)),
            onError: error => errors.Writer.TryWrite(error),
            onClosed: () => events.Writer.TryComplete());
        await Eventually.TrueAsync(() => kube.Server.Store.OpenWatches() > 0 || errors.Reader.Count > 0 || events.Reader.Completion.IsCompleted, "the watch to open");
        return (events, errors, watcher);
    }

    private static async Task<(WatchEventType Type, V1ConfigMap Object)> NextAsync(Channel<(WatchEventType, V1ConfigMap)> events) =>
        await events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Without_a_resource_version_the_current_objects_come_first_then_changes()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        var (events, _, watch) = await WatchAsync(kube);
        using (watch)
        {
            Assert.Equal((WatchEventType.Added, "a"), Named(await NextAsync(events)));
            kube.Server.Store.Create(Objects.ConfigMap("shop", "b"));
            var b = await NextAsync(events);
            Assert.Equal((WatchEventType.Added, "b"), Named(b));
            await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"key":"new"}}""", V1Patch.PatchType.MergePatch), "b", "shop");
            var modified = await NextAsync(events);
            Assert.Equal((WatchEventType.Modified, "b"), Named(modified));
            Assert.Equal("new", modified.Object.Data["key"]);
            Assert.True(long.Parse(modified.Object.Metadata.ResourceVersion, CultureInfo.InvariantCulture) > long.Parse(b.Object.Metadata.ResourceVersion, CultureInfo.InvariantCulture));
            await kube.Client.CoreV1.DeleteNamespacedConfigMapAsync("b", "shop");
            var deleted = await NextAsync(events);
            Assert.Equal((WatchEventType.Deleted, "b"), Named(deleted));
            Assert.Equal(kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), deleted.Object.Metadata.ResourceVersion);
        }
    }

    [Fact]
    public async Task From_a_resource_version_only_later_changes_are_replayed()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "old"));
        var list = await kube.Client.CoreV1.ListNamespacedConfigMapAsync("shop");
        kube.Server.Store.Create(Objects.ConfigMap("shop", "missed-while-listing"));
        var (events, _, watch) = await WatchAsync(kube, list.Metadata.ResourceVersion);
        using (watch)
        {
            Assert.Equal((WatchEventType.Added, "missed-while-listing"), Named(await NextAsync(events)));
            Assert.False(events.Reader.TryRead(out _));
        }
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resource_version_only()
    {
        await using var kube = await StandIn.StartAsync();
        var (events, _, watch) = await WatchAsync(kube, kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        using (watch)
        {
            kube.Server.Store.Create(Objects.ConfigMap("other", "elsewhere")); // not in the watched namespace
            kube.Server.Store.SendBookmarks();
            var bookmark = await NextAsync(events);
            Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
            Assert.Equal(kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), bookmark.Object.Metadata.ResourceVersion);
            Assert.Null(bookmark.Object.Metadata.Name);
            Assert.Null(bookmark.Object.Data);
        }
    }

    [Fact]
    public async Task A_label_selector_turns_starting_and_stopping_to_match_into_added_and_deleted()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "x", new() { ["app"] = "other" }));
        var (events, _, watch) = await WatchAsync(kube, kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), "app=web");
        using (watch)
        {
            await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"app":"web"}}}""", V1Patch.PatchType.MergePatch), "x", "shop");
            Assert.Equal((WatchEventType.Added, "x"), Named(await NextAsync(events)));
            await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"key":"2"}}""", V1Patch.PatchType.MergePatch), "x", "shop");
            Assert.Equal((WatchEventType.Modified, "x"), Named(await NextAsync(events)));
            await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"app":"gone"}}}""", V1Patch.PatchType.MergePatch), "x", "shop");
            var deleted = await NextAsync(events);
            Assert.Equal((WatchEventType.Deleted, "x"), Named(deleted));
            Assert.Equal("gone", deleted.Object.Metadata.Labels["app"]);
        }
    }

    [Fact]
    public async Task A_compacted_resource_version_ends_the_watch_with_a_410_error_event()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.Store.Create(Objects.ConfigMap("shop", "a"));
        var stale = kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        kube.Server.Store.Create(Objects.ConfigMap("shop", "b"));
        kube.Server.Store.Compact();

        var (events, errors, watch) = await WatchAsync(kube, stale);
        using (watch)
        {
            var error = await errors.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            var status = Assert.IsType<KubernetesException>(error).Status;
            Assert.Equal(410, status.Code);
            Assert.Equal("Expired", status.Reason);
            Assert.StartsWith($"too old resource version: {stale}", status.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Expiring_open_watches_sends_410_and_closes_them()
    {
        await using var kube = await StandIn.StartAsync();
        var (events, errors, watch) = await WatchAsync(kube, kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        using (watch)
        {
            kube.Server.Store.ExpireWatches();
            var error = await errors.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(410, Assert.IsType<KubernetesException>(error).Status.Code);
            await events.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, kube.Server.Store.OpenWatches());
        }
    }

    [Fact]
    public async Task The_server_ends_a_watch_at_timeout_seconds_with_a_last_bookmark()
    {
        await using var kube = await StandIn.StartAsync();
        var (events, _, watch) = await WatchAsync(kube, kube.Server.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), timeoutSeconds: 1);
        using (watch)
        {
            Assert.Equal(WatchEventType.Bookmark, (await NextAsync(events)).Type);
            await events.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static (WatchEventType, string) Named((WatchEventType Type, V1ConfigMap Object) e) => (e.Type, e.Object.Metadata.Name);
}
