using System.Text.Json;
using Proa.Hosting;
using Proa.Kube;
using Proa.Tests.Infrastructure;
using Sidecars.Kube;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Proa.Tests.Kube;

/// <summary>proa's view of its own pod, over the shared list-watch, against the stand-in API server.</summary>
public sealed class PodFollowerTests : IAsyncLifetime
{
    private static readonly ListWatchOptions Fast = new() { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    private readonly TempDirectory _dir = new();
    private KubeApiServer _server = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _client = KubeApiClient.Create(_server.WriteKubeconfig(_dir.File("kubeconfig")));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private PodFollower Follower() => new(_client, TestPods.Namespace, TestPods.Name, Fast);

    private static string? Rv(PodUpdate u) => u.Deleted ? null : u.Pod.GetProperty("metadata").GetProperty("resourceVersion").GetString();

    [Fact]
    public async Task Hands_over_each_snapshot_until_the_decision_is_made_and_keeps_the_last_pod()
    {
        _server.Store.Put(TestPods.NotReady());
        var follower = Follower();
        var seen = new List<PodUpdate>();
        var run = follower.WatchUntilAsync(u => { seen.Add(u); return seen.Count == 3 ? "done" : null; }, CancellationToken.None);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "watching");
        _server.Store.Put(TestPods.NotReady().Ready("envoy"));
        _server.Store.Put(TestPods.AllReady());

        Assert.Equal("done", await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(seen, u => Assert.False(u.Deleted));
        Assert.Equal(_server.Store.Get(ResourceTypes.Pod, TestPods.Namespace, TestPods.Name)!.ResourceVersion(), Rv(seen[2]));
        Assert.Equal(Rv(seen[2]), follower.LastPod!.Value.GetProperty("metadata").GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task A_missing_pod_and_a_deleted_pod_are_gone()
    {
        var missing = await Follower().WatchUntilAsync(u => u, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(missing.Deleted);

        _server.Store.Put(TestPods.NotReady());
        var updates = 0;
        var run = Follower().WatchUntilAsync(u => ++updates == 2 ? u : null, CancellationToken.None);
        await Eventually.TrueAsync(() => _server.Store.OpenWatches() == 1, "watching");
        _server.Store.Delete(ResourceTypes.Pod, TestPods.Namespace, TestPods.Name);
        Assert.True((await run.WaitAsync(TimeSpan.FromSeconds(30))).Deleted);
    }

    [Fact]
    public async Task Errors_are_kept_for_the_timeout_message_and_a_403_says_which_permission_is_missing()
    {
        _server.Store.Put(TestPods.NotReady());
        _server.Faults.Add(KubeFault.Forbidden("system:serviceaccount:batch:report"), r => r.Verb == "list");
        var follower = Follower();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follower.WatchUntilAsync<string>(_ => null, cancel.Token));
        Assert.Contains("HTTP 403 Forbidden", follower.LastError, StringComparison.Ordinal);
        Assert.EndsWith("(the pod's service account needs list and watch on its own pod)", follower.LastError, StringComparison.Ordinal);
        Assert.InRange(_server.Requests.ListCount(ResourceTypes.Pod), 2, 8); // backed off, not hammered
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(5_000_000, 86_400)]
    [InlineData(long.MaxValue, 86_400)]
    public void The_grace_period_is_clamped(long seconds, int expected)
    {
        var pod = JsonDocument.Parse(TestPods.Set(TestPods.AllReady(), "spec.terminationGracePeriodSeconds", seconds).ToJsonString()).RootElement;
        Assert.Equal(TimeSpan.FromSeconds(expected), Supervisor.GracePeriod(pod));
    }
}
