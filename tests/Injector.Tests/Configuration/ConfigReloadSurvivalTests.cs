using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Injector.Core.Tests.Support;
using Injector.Tests.Support;

namespace Injector.Tests.Configuration;

/// <summary>
/// The real program, reloading a config it cannot use: whatever the parser does with it (an exception type nobody
/// expected included), the process keeps serving with the last good config, says so in one log line and counts it.
/// </summary>
public sealed partial class ConfigReloadSurvivalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-reload-").FullName;

    private string ConfigFile => Path.Combine(_dir, "config.yaml");

    [Theory]
    [InlineData("securityContext:\n  runAsUser: 1e999\n")]
    [InlineData("securityContext: {runAsUser: 1e999}\n")]
    [InlineData("sidecars:\n  appup:\n    image: [unclosed\n")]
    public async Task A_bad_config_on_reload_keeps_the_process_serving_the_last_good_one(string bad)
    {
        await WriteAtomicallyAsync("sidecars:\n  appup:\n    image: registry.example.com/appup:1.0.0\n");
        using var injector = InjectorProgram.Start(["--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text",
            "--self-signed-dir", Path.Combine(_dir, "tls"), "--config", ConfigFile]);
        var caLine = await injector.WaitForLineAsync(l => l.Contains("Trust this CA", StringComparison.Ordinal), "the CA path");
        var listening = ListeningLine().Match(await injector.WaitForLineAsync(l => l.Contains("Webhook listening on", StringComparison.Ordinal), "the listening line"));
        var mutate = new Uri($"https://localhost:{listening.Groups[1].Value}/mutate");
        var health = new Uri($"http://127.0.0.1:{listening.Groups[2].Value}/");
        using var client = TrustOnlyCaHandler.Create(caLine[(caLine.IndexOf(": /", StringComparison.Ordinal) + 2)..].Trim());
        Assert.Equal("registry.example.com/appup:1.0.0", await InjectedImageAsync(client, mutate));

        await WriteAtomicallyAsync(bad);
        var failure = await injector.WaitForLineAsync(l => l.Contains("Could not load config", StringComparison.Ordinal), "the reload failure line");

        Assert.Contains(ConfigFile, failure, StringComparison.Ordinal);
        using var plain = new HttpClient();
        Assert.Equal("ok\n", await plain.GetStringAsync(new Uri(health, "healthz")));
        Assert.Equal("registry.example.com/appup:1.0.0", await InjectedImageAsync(client, mutate));
        Assert.Equal(1, PrometheusText.Sum(await plain.GetStringAsync(new Uri(health, "metrics")), "injector_config_reloads_total", "result=\"error\"", "reason=\"invalid\""));
        Assert.DoesNotContain("Unhandled exception", injector.Output, StringComparison.Ordinal);
    }

    internal static async Task<string> InjectedImageAsync(HttpClient client, Uri mutate)
    {
        var scenario = GoldenScenario.Load("appup-plain-pod");
        using var response = await client.PostAsync(mutate, new StringContent(scenario.Review.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var patch = Encoding.UTF8.GetString(Convert.FromBase64String(body["response"]!["patch"]!.GetValue<string>()));
        return Rfc6902.Apply(scenario.RequestObject, patch)["spec"]!["initContainers"]![0]!["image"]!.GetValue<string>();
    }

    private async Task WriteAtomicallyAsync(string text)
    {
        var temp = ConfigFile + ".tmp";
        await File.WriteAllTextAsync(temp, text);
        File.Move(temp, ConfigFile, overwrite: true);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"https://[^:]+:(\d+)/mutate, health on http://[^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
