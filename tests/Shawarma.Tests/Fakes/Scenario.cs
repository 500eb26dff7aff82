using System.Text.Json;
using System.Text.Json.Nodes;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Processes;

namespace Shawarma.Tests.Fakes;

/// <summary>Stand-in API server (TestKit) + fake app + kubeconfig + the real shawarma process, disposed together.</summary>
internal sealed class Scenario : IAsyncDisposable
{
    public const string Pod = "web-7d9f8c6b5-x2x9k";

    private readonly TempDirectory _dir = new("shawarma-test-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private Scenario(KubeApiServer api) => Api = api;

    public KubeApiServer Api { get; }

    public FakeApp? App { get; private set; }

    public TestProcess? Process { get; private set; }

    public int ListenPort { get; } = FreePort.Next();

    public string Kubeconfig => _dir.File("kubeconfig");

    public static async Task<Scenario> CreateAsync(bool startApp = true)
    {
        var scenario = new Scenario(await KubeApiServer.StartAsync());
        scenario.Api.WriteKubeconfig(scenario.Kubeconfig, ns: Objects.Namespace);
        if (startApp)
        {
            scenario.App = await FakeApp.StartAsync();
        }

        return scenario;
    }

    public async Task<FakeApp> StartAppAsync(int port)
    {
        App = await FakeApp.StartAsync(port);
        return App;
    }

    /// <summary>Creates or replaces an object; <paramref name="notify"/> false changes it without a watch event (as if compacted away).</summary>
    public void Upsert(JsonObject obj, bool notify = true) => Api.Store.Put(obj, notify);

    public void Delete(ResourceType type, string name) => Api.Store.Delete(type, Objects.Namespace, name);

    public int Lists(ResourceType type) => Api.Requests.ListCount(type);

    public int OpenWatches(ResourceType type) => Api.Store.OpenWatches(type);

    /// <summary>Starts shawarma for <see cref="Pod"/> with the scenario's kubeconfig, listen port and app URL.</summary>
    public TestProcess Start(params string[] args) => Start(App?.Url ?? throw new InvalidOperationException("no app"), args);

    public TestProcess Start(Uri appUrl, params string[] args)
    {
        Process = ShawarmaProgram.Start(
            ["monitor", "--kubeconfig", Kubeconfig, "--listen-port", ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--url", appUrl.ToString(), .. args],
            new Dictionary<string, string?>
            {
                ["MY_POD_NAME"] = Pod,
                ["MY_POD_NAMESPACE"] = Objects.Namespace,
                ["LOG_LEVEL"] = "debug",
            });
        return Process;
    }

    /// <summary>One ready endpoint of Service "web" for <see cref="Pod"/>, shawarma started with <paramref name="args"/>,
    /// and its state server answering "active".</summary>
    public async Task<TestProcess> StartActiveAsync(params string[] args)
    {
        Upsert(Objects.Slice("web-abc12", "web", Objects.Endpoint(Pod, true)));
        var process = Start(args);
        await WaitForStateAsync(Active("web"), "active");
        return process;
    }

    /// <summary>SIGTERM; shawarma must exit 0 promptly.</summary>
    public async Task StopAsync()
    {
        Process!.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        Assert.Equal(0, await Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    public async Task<string?> GetStateAsync()
    {
        try
        {
            return await _http.GetStringAsync($"http://127.0.0.1:{ListenPort}/deploymentstate");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public Task WaitForStateAsync(string json, string what) =>
        Eventually.TrueAsync(async () => await GetStateAsync() == json, $"GET /deploymentstate == {json} ({what})", diagnostics: Diagnostics);

    public Task WaitForDeliveredAsync(int count, string what) =>
        Eventually.TrueAsync(() => App!.Delivered.Count >= count, $"{count} POSTs delivered ({what})", diagnostics: Diagnostics);

    public Task WaitForWatchAsync(ResourceType type, string what) =>
        Eventually.TrueAsync(() => Api.Store.OpenWatches(type) > 0, what, diagnostics: Diagnostics);

    public string Diagnostics() =>
        $"delivered: [{string.Join(", ", App?.Delivered ?? [])}]\napi requests:\n  {string.Join("\n  ", Api.Requests.All)}\nshawarma output:\n{Process?.Output}";

    public static string Active(params string[] services) =>
        JsonSerializer.Serialize(new { status = "active", activeServices = services });

    public const string Inactive = """{"status":"inactive","activeServices":[]}""";

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Api.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }
}
