using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Canary.Api;
using Canary.Tests.Support;
using k8s;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Processes;

namespace Canary.Tests.Process;

/// <summary>
/// canary-controller as a real process: usage errors (exit 2) and start-up failures (exit 1) in one sentence on
/// stderr, a run against the stand-in API server with its endpoints, JSON log lines that stay JSON, and SIGTERM.
/// </summary>
[Collection(nameof(ProgramProcessTests))]
public sealed class ProgramProcessTests
{
    private static readonly string[] CleanEnvironment = ["KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAME", "POD_NAMESPACE"];

    private static ProcessSpec Spec(params string[] args) =>
        ProcessSpec.DotnetFromTestOutput("canary-controller.dll", args) with { RemoveEnvironment = CleanEnvironment };

    private static void OneSentence(ProcessResult result)
    {
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", result.StdErr, StringComparison.Ordinal);
        Assert.Single(result.StdErr.Trim().Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--health-port", "0")]
    [InlineData("--workers", "-1")]
    [InlineData("--resync", "0s")]
    [InlineData("--no-such-flag")]
    [InlineData("--log-format", "yaml")]
    [InlineData("--bind-address", "localhost:80")]
    public async Task Usage_errors_are_exit_2_with_one_sentence(params string[] args)
    {
        var result = await TestProcess.RunAsync(Spec(args));
        Assert.True(result.ExitCode == 2, result.Describe());
        OneSentence(result);
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_exit_1_with_one_sentence()
    {
        using var dir = new TempDirectory();
        var result = await TestProcess.RunAsync(Spec("--kubeconfig", dir.File("nope")));
        Assert.True(result.ExitCode == 1, result.Describe());
        OneSentence(result);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: [ {name: a\n")]
    [InlineData("\t- not: yaml: at: all\n")]
    [InlineData("apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n")]
    public async Task A_broken_kubeconfig_is_exit_1_with_one_sentence(string kubeconfig)
    {
        using var dir = new TempDirectory();
        var result = await TestProcess.RunAsync(Spec("--kubeconfig", dir.Write("kubeconfig", kubeconfig)));
        Assert.True(result.ExitCode == 1, result.Describe());
        OneSentence(result);
    }

    [Fact]
    public async Task A_health_port_in_use_is_exit_1_with_one_sentence()
    {
        await using var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await TestProcess.RunAsync(Spec("--kubeconfig", server.WriteKubeconfig(dir.File("kubeconfig")), "--bind-address", "127.0.0.1", "--health-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--leader-elect=false"));

        Assert.True(result.ExitCode == 1, result.Describe());
        OneSentence(result);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_serves_its_endpoints_logs_json_lines_and_stops_on_SIGTERM()
    {
        await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { CustomResources = [ResourceTypes.IstioVirtualService, ResourceTypes.IstioDestinationRule, ResourceTypes.HttpRoute] });
        server.AddCustomResourceDefinition(CrdAdmission.FromChart().Crd);
        server.Controllers.Add(new TestKit.Kube.Simulation.DeploymentControllerSimulation(), TimeSpan.FromMilliseconds(50));
        using var dir = new TempDirectory();
        var kubeconfig = server.WriteKubeconfig(dir.File("kubeconfig"), ns: CanaryCluster.Ns);
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        // A CanaryApp full of what logs must survive: quotes, newlines, control characters, non-ASCII.
        var app = CanaryCluster.App("web", "example/web:v1", s =>
        {
            s.SkipAnalysis = true;
            s.PrometheusQuery = "up{job=\"a\\nb\"} \u0001\u001b[31m ü \"quoted\"\n== 0";
        });
        app.Metadata.NamespaceProperty = CanaryCluster.Ns;
        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(app, CanaryApp.Group, CanaryApp.Version, CanaryCluster.Ns, CanaryApp.Plural);
        // An API error on the way: the reconcile fails once and is retried.
        server.Faults.FailNext(KubeFault.Status(409, "Conflict", "Operation cannot be fulfilled on canaryapps.canary.sidecars.dev \"web\": the object has been modified"), 1, r => r.Subresource == "status");

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var process = TestProcess.Start(Spec("--kubeconfig", kubeconfig, "--bind-address", "127.0.0.1", "--health-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--leader-elect=false", "--log-format", "json", "--log-level", "Debug"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.TrueAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz answers 200", diagnostics: () => process.Output);
        await Eventually.TrueAsync(async () =>
        {
            var raw = await admin.CustomObjects.GetNamespacedCustomObjectAsync(CanaryApp.Group, CanaryApp.Version, CanaryCluster.Ns, CanaryApp.Plural, "web");
            return KubernetesJson.Deserialize<CanaryApp>(KubernetesJson.Serialize(raw)).Status?.Phase == CanaryPhase.Succeeded;
        }, "the CanaryApp reaches Succeeded", diagnostics: () => process.Output);
        Assert.Equal("ok\n", await http.GetStringAsync("/healthz"));
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("canary_weight", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_reconcile_total", metrics, StringComparison.Ordinal);

        process.Signal(PosixSignal.SIGTERM);
        var code = await process.WaitForExitAsync();

        Assert.True(code == 0, process.Output);
        var lines = process.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line); // every line is one JSON object
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            Assert.False(doc.RootElement.TryGetProperty("Exception", out _), "an expected failure is logged without a stack trace: " + line);
        }

        Assert.Contains(lines, l => l.Contains("canary-controller stopped", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Reconciling shop/web failed (1 in a row), retrying in backoff: conflict (HTTP 409): Operation cannot be fulfilled", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", process.StdErr, StringComparison.Ordinal);
    }
}
