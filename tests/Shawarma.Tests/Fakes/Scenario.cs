using System.Text.Json;

namespace Shawarma.Tests.Fakes;

/// <summary>Fake API + fake app + kubeconfig + the real shawarma process, disposed together.</summary>
internal sealed class Scenario : IAsyncDisposable
{
    public const string Pod = "web-7d9f8c6b5-x2x9k";
    public const int SigTerm = 15;
    public const int SigInt = 2;

    private readonly string _dir = Directory.CreateTempSubdirectory("shawarma-test-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private Scenario(FakeKubeApi api) => Api = api;

    public FakeKubeApi Api { get; }

    public FakeApp? App { get; private set; }

    public ShawarmaProcess? Process { get; private set; }

    public int ListenPort { get; } = FreePort.Next();

    public string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    public static async Task<Scenario> CreateAsync(bool startApp = true)
    {
        var scenario = new Scenario(await FakeKubeApi.StartAsync());
        File.WriteAllText(scenario.Kubeconfig, $"""
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: fake
              cluster:
                server: {scenario.Api.Url.ToString().TrimEnd('/')}
            users:
            - name: tester
              user:
                token: {FakeKubeApi.Token}
            contexts:
            - name: test
              context:
                cluster: fake
                user: tester
                namespace: {KubeJson.Namespace}
            """);
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

    /// <summary>Starts shawarma for <see cref="Pod"/> with the scenario's kubeconfig, listen port and app URL.</summary>
    public ShawarmaProcess Start(params string[] args) => Start(App?.Url ?? throw new InvalidOperationException("no app"), args);

    public ShawarmaProcess Start(Uri appUrl, params string[] args)
    {
        Process = ShawarmaProcess.Start(
            ["monitor", "--kubeconfig", Kubeconfig, "--listen-port", ListenPort.ToString(), "--url", appUrl.ToString(), .. args],
            new Dictionary<string, string>
            {
                ["MY_POD_NAME"] = Pod,
                ["MY_POD_NAMESPACE"] = KubeJson.Namespace,
                ["LOG_LEVEL"] = "debug",
            });
        return Process;
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

    public string Diagnostics() =>
        $"delivered: [{string.Join(", ", App?.Delivered ?? [])}]\napi requests:\n  {string.Join("\n  ", Api.Requests)}\nshawarma output:\n{Process?.Output}";

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
        Directory.Delete(_dir, recursive: true);
    }
}
