using System.Text.Json.Nodes;
using Canary.Analysis;
using Canary.Api;
using Canary.Hosting;
using Canary.Kube;
using Canary.Reconciling;
using Canary.Traffic;
using Controllers.Kube;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Kube.Simulation;
using TestKit.Prometheus;

namespace Canary.Tests.Support;

/// <summary>
/// The stand-in API server (with the chart's CanaryApp CRD, Istio's and Gateway API's resources and the reference
/// deployment controller), the stand-in Prometheus, and the real reconcile wired to them with KubernetesClient.
/// Tick-driven: <see cref="RunUntilIdleAsync"/> reconciles, lets the deployment controller move, and advances the
/// fake clock to the requested requeue.
/// </summary>
internal sealed class CanaryCluster : IAsyncDisposable
{
    public const string Ns = "shop";

    private readonly TempDirectory _dir;

    private CanaryCluster(KubeApiServer server, PrometheusStandIn prometheus, Kubernetes client, TempDirectory dir, DeploymentControllerSimulation deployments)
    {
        Server = server;
        Prometheus = prometheus;
        Client = client;
        _dir = dir;
        Deployments = deployments;
        Reconcile = BuildReconcile(null);
    }

    public KubeApiServer Server { get; }

    public PrometheusStandIn Prometheus { get; }

    public Kubernetes Client { get; }

    public DeploymentControllerSimulation Deployments { get; }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CanaryReconcile Reconcile { get; private set; }

    public string KubeconfigPath => _dir.File("kubeconfig");

    public static async Task<CanaryCluster> StartAsync()
    {
        var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { CustomResources = [ResourceTypes.IstioVirtualService, ResourceTypes.IstioDestinationRule, ResourceTypes.HttpRoute] });
        server.AddCustomResourceDefinition(CrdAdmission.FromChart().Crd);
        var deployments = server.Controllers.Add(new DeploymentControllerSimulation { StepSize = 2 });
        var prometheus = await PrometheusStandIn.StartAsync();
        var dir = new TempDirectory("canary-cluster-");
        var path = server.WriteKubeconfig(dir.File("kubeconfig"), ns: Ns);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        return new CanaryCluster(server, prometheus, client, dir, deployments);
    }

    /// <summary>Swaps the world for a decorated one (to inject races).</summary>
    public void Decorate(Func<ICanaryWorld, ICanaryWorld> decorate) => Reconcile = BuildReconcile(decorate);

    private CanaryReconcile BuildReconcile(Func<ICanaryWorld, ICanaryWorld>? decorate)
    {
        ICanaryWorld world = new KubeCanaryWorld(Client, new KubeTrafficProvider(Client));
        if (decorate is not null)
        {
            world = decorate(world);
        }

        var prometheus = new PrometheusClient(new HttpClient(), Clock) { Timeout = TimeSpan.FromSeconds(5) };
        var recorder = new EventRecorder(Client, "canary.sidecars.dev/canary-controller", "test-0", NullLogger.Instance, Clock);
        return new CanaryReconcile(world, new PrometheusAnalysisRunner(Client, prometheus), new KubeEventSink(recorder), new CanaryMetrics(), Clock);
    }

    public async Task<CanaryApp> CreateAsync(CanaryApp app)
    {
        app.Metadata.NamespaceProperty = Ns;
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(app, CanaryApp.Group, CanaryApp.Version, Ns, CanaryApp.Plural);
        return KubernetesJson.Deserialize<CanaryApp>(KubernetesJson.Serialize(created));
    }

    public async Task<CanaryApp> GetAsync(string name)
    {
        var raw = await Client.CustomObjects.GetNamespacedCustomObjectAsync(CanaryApp.Group, CanaryApp.Version, Ns, CanaryApp.Plural, name);
        return KubernetesJson.Deserialize<CanaryApp>(KubernetesJson.Serialize(raw));
    }

    public Task PatchSpecAsync(string name, string mergePatch) =>
        Client.CustomObjects.PatchNamespacedCustomObjectAsync(new k8s.Models.V1Patch(mergePatch, k8s.Models.V1Patch.PatchType.MergePatch), CanaryApp.Group, CanaryApp.Version, Ns, CanaryApp.Plural, name);

    public JsonObject? Stored(ResourceType type, string name) => Server.Store.Get(type, Ns, name);

    /// <summary>Reconciles until nothing is left to wait for; the deployment controller ticks between reconciles.</summary>
    public async Task<int> RunUntilIdleAsync(string name, int maxTicks = 200, Func<bool>? stopWhen = null)
    {
        for (var i = 0; i < maxTicks; i++)
        {
            var requeue = await Reconcile.ReconcileAsync(Ns, name, CancellationToken.None);
            Server.Controllers.Tick(4);
            var stop = stopWhen?.Invoke() == true;
            if (requeue is null || stop)
            {
                return i + 1;
            }

            Clock.Advance(requeue.Value);
        }

        throw new InvalidOperationException($"not idle after {maxTicks} reconciles");
    }

    public static CanaryApp App(string name, string image, Action<CanaryAppSpec>? configure = null)
    {
        var spec = new CanaryAppSpec
        {
            Image = image,
            ImageListenPort = 8088,
            Replicas = 2,
            TestReplicas = 1,
            PrometheusQuery = $"increase(istio_requests_total{{destination_service_name=\"{name}\",response_code=~\"5.*\"}}[20s]) > 2",
            PrometheusUrl = "http://placeholder",
            TrafficShiftUpdateInterval = 30,
        };
        configure?.Invoke(spec);
        return new CanaryApp { Metadata = new() { Name = name }, Spec = spec };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Prometheus.DisposeAsync();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
