using System.Runtime.InteropServices;
using Rollout.Tests.Support;
using TestKit.Kube;
using TestKit.Processes;

namespace Rollout.Tests.Process;

/// <summary>
/// <c>sidecar-rollout watch</c> as a process: /healthz and /readyz, the Prometheus exposition of its metrics (the
/// OpenTelemetry exporter's real output) after a config change, JSON log lines, and a clean stop on SIGTERM that
/// releases the Lease.
/// </summary>
[Collection(nameof(ProgramProcessTests))]
public sealed class WatchProcessTests
{
    [Fact]
    public async Task Serves_health_and_metrics_restarts_after_a_config_change_and_stops_on_SIGTERM()
    {
        await using var world = await World.StartAsync();
        using var replacer = new PodReplacer(world);
        world.InjectorConfigMap(Configs.Yaml);
        world.Deployment("shop", "web", "appup,shawarma");
        world.Deployment("shop", "cart", "shawarma");
        var port = FreePort.Next();

        await using var process = TestProcess.Start(ProcessSpec.DotnetFromTestOutput("sidecar-rollout.dll",
            "watch", "--kubeconfig", world.Kubeconfig, "--health-port", $"{port}", "--interval", "200ms", "--settle", "100ms",
            "--lease-namespace", "sidecars-system", "--identity", "watch-0", "--log-format", "json") with
        {
            RemoveEnvironment = ["KUBECONFIG", "KUBERNETES_SERVICE_HOST", "POD_NAME", "POD_NAMESPACE"],
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () => (await Get(http, "/readyz")).Code == 200, "ready", diagnostics: () => process.Output);
        Assert.Equal("ok\n", (await Get(http, "/healthz")).Body);

        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        await Eventually.TrueAsync(() => replacer.Replaced == 1, "web restarted and its pods replaced", diagnostics: () => process.Output);
        var metrics = await Eventually.ValueAsync(async () =>
        {
            var body = (await Get(http, "/metrics")).Body;
            return body.Contains("sidecar_rollout_outdated_workloads{otel_scope_name=\"Rollout.Watch\",sidecar=\"appup\"} 0", StringComparison.Ordinal) ? body : null;
        }, "the outdated gauge back at 0 after the restart", diagnostics: () => process.Output);

        Assert.Contains("sidecar_rollout_restarts_total{otel_scope_name=\"Rollout.Watch\",kind=\"Deployment\",namespace=\"shop\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("sidecar_rollout_leader{otel_scope_name=\"Rollout.Watch\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("sidecar_rollout_config_info{otel_scope_name=\"Rollout.Watch\",revision=\"" + Configs.Parse(Configs.AppUpImage("0.2.0")).Revision + "\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE sidecar_rollout_restarts_total counter", metrics, StringComparison.Ordinal);
        Assert.Equal(["web"], world.Kube.Requests.Writes(ResourceTypes.Deployment).Where(w => w.Query["dryRun"] is null).Select(w => w.Name));
        var logs = process.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList(); // JSON lines only
        Assert.Contains(logs, l => ((string?)l["Message"])?.StartsWith("Restarting Deployment shop/web: appup image 0.1.0 -> 0.2.0", StringComparison.Ordinal) == true);

        process.Signal(PosixSignal.SIGTERM);
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Equal("", world.Kube.Store.Get(ResourceTypes.Lease, "sidecars-system", "sidecar-rollout")?.StringAt("spec.holderIdentity")); // released
    }

    private static async Task<(int Code, string Body)> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
