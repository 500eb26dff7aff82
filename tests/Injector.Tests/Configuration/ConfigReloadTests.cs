using System.Text;
using System.Text.Json.Nodes;
using Injector.Cli;
using Injector.Core.Tests.Support;
using Injector.Hosting;
using Injector.Tests.Support;

namespace Injector.Tests.Configuration;

/// <summary>The config file is re-read on change: new images apply to the next review, a broken edit is ignored.</summary>
public sealed class ConfigReloadTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-config-").FullName;
    private WebhookHost _host = null!;
    private HttpClient _client = null!;

    private string ConfigFile => Path.Combine(_dir, "config.yaml");

    public async Task InitializeAsync()
    {
        await WriteAtomicallyAsync("sidecars:\n  appup:\n    image: registry.example.com/appup:1.0.0\n");
        _host = await WebhookHost.StartAsync(new ServeOptions
        {
            Port = 0,
            HealthPort = 0,
            ListenAddress = "127.0.0.1",
            ConfigFile = ConfigFile,
            SelfSignedDir = Path.Combine(_dir, "tls"),
            JsonLogs = false,
        });
        _client = TrustOnlyCaHandler.Create(_host.GeneratedCaFile!);
    }

    [Fact]
    public async Task Edited_config_applies_to_the_next_review_and_a_broken_edit_keeps_the_last_good_one()
    {
        Assert.Equal("registry.example.com/appup:1.0.0", await InjectedImageAsync());
        var firstRevision = _host.Config.Current.Revision;

        await WriteAtomicallyAsync("sidecars:\n  appup:\n    image: registry.example.com/appup:2.0.0\n");
        await Eventually.TrueAsync(async () => await InjectedImageAsync() == "registry.example.com/appup:2.0.0", "the new image to be injected");
        Assert.NotEqual(firstRevision, _host.Config.Current.Revision);

        await WriteAtomicallyAsync("sidecars:\n  appup:\n    imag: typo\n");
        using var plain = new HttpClient();
        await Eventually.TrueAsync(
            async () => (await plain.GetStringAsync(new Uri(_host.HealthUri, "/metrics"))).Contains("injector_config_reloads_total{result=\"error\"}", StringComparison.Ordinal),
            "the broken config to be rejected");
        Assert.Equal("registry.example.com/appup:2.0.0", await InjectedImageAsync());
    }

    private async Task<string> InjectedImageAsync()
    {
        var scenario = GoldenScenario.Load("appup-plain-pod");
        using var response = await _client.PostAsync(_host.MutateUri, new StringContent(scenario.Review.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var patch = Encoding.UTF8.GetString(Convert.FromBase64String(body["response"]!["patch"]!.GetValue<string>()));
        var pod = Rfc6902.Apply(scenario.RequestObject, patch);
        return pod["spec"]!["initContainers"]![0]!["image"]!.GetValue<string>();
    }

    /// <summary>Like a ConfigMap update: the new content appears whole (write aside, then rename).</summary>
    private async Task WriteAtomicallyAsync(string text)
    {
        var temp = ConfigFile + ".tmp";
        await File.WriteAllTextAsync(temp, text);
        File.Move(temp, ConfigFile, overwrite: true);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
