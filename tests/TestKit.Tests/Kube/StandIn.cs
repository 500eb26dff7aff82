using k8s;
using TestKit.Kube.Server;

namespace TestKit.Tests.Kube;

/// <summary>A stand-in API server and a real KubernetesClient pointed at it through a kubeconfig the kit wrote.</summary>
internal sealed class StandIn : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private StandIn(KubeApiServer server, Kubernetes client, TempDirectory dir, string kubeconfig)
    {
        Server = server;
        Client = client;
        _dir = dir;
        Kubeconfig = kubeconfig;
    }

    /// <summary>The kubeconfig file the client was built from.</summary>
    public string Kubeconfig { get; }

    public KubeApiServer Server { get; }

    public Kubernetes Client { get; }

    public static async Task<StandIn> StartAsync(KubeApiServerOptions? options = null, KubeconfigUser? user = null)
    {
        var server = await KubeApiServer.StartAsync(options);
        var dir = new TempDirectory("testkit-kube-");
        var path = server.WriteKubeconfig(dir.File("kubeconfig"), user);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        return new StandIn(server, new Kubernetes(config), dir, path);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
