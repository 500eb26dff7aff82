using Canary.Hosting;
using Canary.Tests.Support;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Canary.Tests.Kube;

/// <summary>
/// Two controller replicas against the stand-in API server with short leases (real time): only the Lease holder
/// reconciles; the other takes over when the leader is cut off from the API (it cannot renew) or stops cleanly
/// (it releases the Lease: an empty holderIdentity, so the takeover does not wait for it to expire).
/// </summary>
public sealed class LeaderElectionTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    private sealed class Replica(string identity, CanaryController controller, Kubernetes client, CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public string Identity { get; } = identity;

        public CanaryController Controller { get; } = controller;

        public CancellationTokenSource Stop { get; } = stop;

        public Task Run { get; } = run;

        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
            }

            Stop.Dispose();
            client.Dispose();
        }
    }

    private static Replica Start(KubeApiServer server, TempDirectory dir, string identity, string token)
    {
        var path = server.WriteKubeconfig(dir.File($"kubeconfig-{identity}"), KubeconfigUser.Token(token), ns: CanaryCluster.Ns);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        var options = new ControllerOptions
        {
            LeaderElect = true,
            Identity = identity,
            LeaderElectionNamespace = CanaryCluster.Ns,
            LeaseDuration = LeaseDuration,
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
            Resync = TimeSpan.FromMilliseconds(500),
        };
        var controller = new CanaryController(client, options, NullLoggerFactory.Instance, new CanaryMetrics());
        var stop = new CancellationTokenSource();
        return new Replica(identity, controller, client, stop, Task.Run(() => controller.RunAsync(stop.Token)));
    }

    [Fact]
    public async Task Only_the_lease_holder_reconciles_and_the_other_takes_over()
    {
        await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions
        {
            Tokens = new Dictionary<string, string> { ["token-a"] = "replica-a", ["token-b"] = "replica-b", [KubeApiServer.DefaultToken] = "admin" },
            CustomResources = [ResourceTypes.IstioVirtualService, ResourceTypes.IstioDestinationRule, ResourceTypes.HttpRoute],
        });
        server.AddCustomResourceDefinition(CrdAdmission.FromChart().Crd);
        using var dir = new TempDirectory("canary-le-");
        var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(dir.File("admin"), ns: CanaryCluster.Ns)));
        var app = CanaryCluster.App("web", "example/web:v1", s => s.SkipAnalysis = true);
        app.Metadata.NamespaceProperty = CanaryCluster.Ns;
        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(app, Api.CanaryApp.Group, Api.CanaryApp.Version, CanaryCluster.Ns, Api.CanaryApp.Plural);

        await using var a = Start(server, dir, "replica-a", "token-a");
        await using var b = Start(server, dir, "replica-b", "token-b");
        Replica[] replicas = [a, b];

        var leader = await Eventually.ValueAsync(() => replicas.SingleOrDefault(r => r.Controller.IsLeader && r.Controller.Reconciles > 0), "one replica leads and reconciles");
        var follower = leader == a ? b : a;
        Assert.Equal(leader.Identity, Holder(server));
        Assert.True(follower.Controller.Health.Ready() is null, "a follower is ready (it serves health and waits)");

        // A while later the follower still has not reconciled anything.
        var before = leader.Controller.Reconciles;
        await Eventually.TrueAsync(() => leader.Controller.Reconciles >= before + 3, "the leader keeps reconciling");
        Assert.False(follower.Controller.IsLeader);
        Assert.Equal(0, follower.Controller.Reconciles);
        Assert.Single(server.Store.List(ResourceTypes.Deployment, CanaryCluster.Ns)); // web-primary, created once

        // The leader is cut off from the API: it cannot renew, stops reconciling, and the follower takes over.
        using (server.Faults.Add(KubeFault.ServiceUnavailable(), r => r.User == leader.Identity))
        {
            await Eventually.TrueAsync(() => follower.Controller.IsLeader && follower.Controller.Reconciles > 0, "the follower takes over", TimeSpan.FromSeconds(20));
            Assert.Equal(follower.Identity, Holder(server));
            await Eventually.TrueAsync(() => !leader.Controller.IsLeader, "the old leader knows it lost the lease");
            var stale = leader.Controller.Reconciles;
            var followerBefore = follower.Controller.Reconciles;
            await Eventually.TrueAsync(() => follower.Controller.Reconciles >= followerBefore + 3, "the new leader keeps reconciling");
            Assert.Equal(stale, leader.Controller.Reconciles);
        }

        // The new leader stops cleanly: it releases the Lease and the other acquires it well before a lease duration.
        await follower.Stop.CancelAsync();
        await follower.Run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(server.Requests.All, r => r.User == follower.Identity && r.Method == "PUT" && r.Is(ResourceTypes.Lease)
            && r.Body.Contains("\"holderIdentity\":\"\"", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => leader.Controller.IsLeader && Holder(server) == leader.Identity, "the first replica leads again", TimeSpan.FromSeconds(20));
    }

    private static string? Holder(KubeApiServer server) =>
        server.Store.Get(ResourceTypes.Lease, CanaryCluster.Ns, "canary-controller")?["spec"]?["holderIdentity"]?.GetValue<string>();
}
