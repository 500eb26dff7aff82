using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Controllers.Kube.Tests;

/// <summary>The informer against the stand-in API server: paged list, watch, 410 relist, resync.</summary>
public sealed class InformerTests
{
    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { ["app"] = "x" } },
        Spec = new()
        {
            Selector = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } },
            Template = new() { Metadata = new() { Labels = new Dictionary<string, string> { ["app"] = "x" } }, Spec = new() { Containers = [new() { Name = "c", Image = "i" }] } },
        },
    };

    [Fact]
    public async Task Lists_in_pages_then_watches_adds_and_deletes()
    {
        await using var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory("informer-");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("kubeconfig"))));
        for (var i = 0; i < 5; i++)
        {
            await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment($"d{i}"), "ns");
        }

        var informer = new Informer<V1Deployment>(KubeListWatch.Deployments(client, "ns", "app=x"),
            new InformerOptions { PageSize = 2, ResyncPeriod = TimeSpan.Zero, MinBackoff = TimeSpan.FromMilliseconds(50) }, NullLogger.Instance);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(InformerEventType, string)>();
        informer.Changed += (t, d) => seen.Enqueue((t, d.Metadata.Name));
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await informer.WaitForSyncAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(5, informer.Items.Count);
        Assert.True(server.Requests.ListCount(ResourceTypes.Deployment) >= 3, "5 objects in pages of 2");

        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("d5"), "ns");
        await Eventually.TrueAsync(() => informer.Get(new ObjectKey("ns", "d5")) is not null, "the watch delivers the new Deployment");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("d0", "ns");
        await Eventually.TrueAsync(() => informer.Get(new ObjectKey("ns", "d0")) is null, "the watch delivers the delete");

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains((InformerEventType.Added, "d5"), seen);
        Assert.Contains((InformerEventType.Deleted, "d0"), seen);
    }

    [Fact]
    public async Task A_watch_that_answers_410_at_once_leads_to_a_relist()
    {
        await using var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory("informer-");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("kubeconfig"))));
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("a"), "ns");
        using var gone = server.Faults.Add(KubeFault.Status(410, "Expired", "too old resource version"), r => r.IsWatch, times: 2);
        var informer = new Informer<V1Deployment>(KubeListWatch.Deployments(client, null, null),
            new InformerOptions { ResyncPeriod = TimeSpan.Zero, MinBackoff = TimeSpan.FromMilliseconds(50) }, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => informer.Lists >= 3, "two 410s, two relists");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("b"), "ns");
        await Eventually.TrueAsync(() => informer.Items.Count == 2, "watching again after the relists");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Resync_hands_out_every_cached_object_again()
    {
        await using var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory("informer-");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("kubeconfig"))));
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("a"), "ns");
        var informer = new Informer<V1Deployment>(KubeListWatch.Deployments(client, "ns", null),
            new InformerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(200) }, NullLogger.Instance);
        var resyncs = 0;
        informer.Changed += (t, _) => { if (t == InformerEventType.Resync) { Interlocked.Increment(ref resyncs); } };
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => Volatile.Read(ref resyncs) >= 2, "resyncs");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
