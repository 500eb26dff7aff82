using System.Text;
using System.Text.Json.Nodes;
using Injector.Cli;
using Injector.Core.Tests.Support;
using Injector.Hosting;
using Injector.Tests.Support;

namespace Injector.Tests.Configuration;

/// <summary>
/// The config file is re-read on change: new images apply to the next review, a broken edit is ignored. Each test
/// keeps the path it is not about out of reach (an hour-long poll in the event tests, no file events in the poll
/// test), so it fails when the path it names is broken.
/// </summary>
public sealed class ConfigReloadTests : IAsyncDisposable
{
    private static readonly TimeSpan NeverPolls = TimeSpan.FromHours(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-config-").FullName;
    private WebhookHost? _host;
    private HttpClient? _client;

    private string ConfigFile => Path.Combine(_dir, "config.yaml");

    private async Task StartAsync(TimeSpan poll, bool events = true, TimeSpan? settle = null)
    {
        await WriteAtomicallyAsync(Image("1.0.0"));
        _host = await WebhookHost.StartAsync(new ServeOptions
        {
            Port = 0,
            HealthPort = 0,
            ListenAddress = "127.0.0.1",
            ConfigFile = ConfigFile,
            SelfSignedDir = Path.Combine(_dir, "tls"),
            JsonLogs = false,
            ReloadPollInterval = poll,
            WatchFileEvents = events,
            ReloadSettleTime = settle ?? TimeSpan.FromMilliseconds(250),
        });
        _client = TrustOnlyCaHandler.Create(_host.GeneratedCaFile!);
        Assert.Equal("registry.example.com/appup:1.0.0", await InjectedImageAsync());
    }

    private static string Image(string tag) => $"sidecars:\n  appup:\n    image: registry.example.com/appup:{tag}\n";

    [Fact]
    public async Task Edited_config_is_noticed_through_file_events_and_a_broken_edit_keeps_the_last_good_one()
    {
        await StartAsync(NeverPolls);
        var firstRevision = _host!.Config.Current.Revision;

        await WriteAtomicallyAsync(Image("2.0.0"));
        await Eventually.TrueAsync(async () => await InjectedImageAsync() == "registry.example.com/appup:2.0.0", "the new image to be injected");
        Assert.NotEqual(firstRevision, _host.Config.Current.Revision);

        await WriteAtomicallyAsync("sidecars:\n  appup:\n    imag: typo\n");
        await Eventually.TrueAsync(async () => await CountAsync("result=\"error\"", "reason=\"invalid\"") == 1, "the broken config to be refused and counted");
        Assert.Equal("registry.example.com/appup:2.0.0", await InjectedImageAsync());
        var metrics = await PrometheusText.ScrapeAsync(_host.HealthUri);
        Assert.Contains($"revision=\"{_host.Config.Current.Revision}\"", metrics, StringComparison.Ordinal);
        Assert.Equal(1, PrometheusText.Sum(metrics, "injector_config_info"));
    }

    [Fact]
    public async Task Without_file_events_the_poll_picks_the_edit_up()
    {
        await StartAsync(TimeSpan.FromMilliseconds(200), events: false);

        await WriteAtomicallyAsync(Image("2.0.0"));

        await Eventually.TrueAsync(async () => await InjectedImageAsync() == "registry.example.com/appup:2.0.0", "the polled change to be injected");
    }

    [Fact]
    public async Task An_in_place_write_that_pauses_half_way_is_never_loaded_half_written()
    {
        // The first half is valid YAML with a truncated image name: loading it would inject a wrong image.
        var settle = TimeSpan.FromSeconds(2);
        await StartAsync(NeverPolls, settle: settle);
        var text = Image("2.0.0");
        var half = text.IndexOf("appup:2", StringComparison.Ordinal) + 3;

        await using (var stream = new FileStream(ConfigFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text[..half]));
            await stream.FlushAsync();
            await Task.Delay(settle * 1.5); // longer than one settle time, shorter than two
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text[half..]));
        }

        await Eventually.TrueAsync(async () => await InjectedImageAsync() == "registry.example.com/appup:2.0.0", "the completed file to be loaded");
        Assert.Equal(2, await CountAsync("result=\"ok\"")); // the start and the complete file; never the half
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\xff\xfe", "invalid")]
    public async Task Empty_or_undecodable_files_are_refused_with_their_reason(string content, string reason)
    {
        await StartAsync(NeverPolls);

        await File.WriteAllBytesAsync(ConfigFile + ".tmp", content.Select(c => (byte)c).ToArray());
        File.Move(ConfigFile + ".tmp", ConfigFile, overwrite: true);

        await Eventually.TrueAsync(async () => await CountAsync("result=\"error\"", $"reason=\"{reason}\"") == 1, $"the {reason} config to be refused");
        Assert.Equal("registry.example.com/appup:1.0.0", await InjectedImageAsync());
    }

    [Fact]
    public async Task A_deleted_file_is_reported_once_and_the_last_good_config_stays()
    {
        await StartAsync(TimeSpan.FromMilliseconds(100));

        File.Delete(ConfigFile);

        await Eventually.TrueAsync(async () => await CountAsync("result=\"error\"", "reason=\"unreadable\"") == 1, "the missing file to be reported");
        await Task.Delay(500); // several polls later, still reported once
        Assert.Equal(1, await CountAsync("result=\"error\"", "reason=\"unreadable\""));
        Assert.Equal("registry.example.com/appup:1.0.0", await InjectedImageAsync());
    }

    private async Task<double> CountAsync(params string[] labels) =>
        PrometheusText.Sum(await PrometheusText.ScrapeAsync(_host!.HealthUri), "injector_config_reloads_total", labels);

    private Task<string> InjectedImageAsync() => ConfigReloadSurvivalTests.InjectedImageAsync(_client!, _host!.MutateUri);

    /// <summary>Like a ConfigMap update: the new content appears whole (write aside, then rename).</summary>
    private async Task WriteAtomicallyAsync(string text)
    {
        var temp = ConfigFile + ".tmp";
        await File.WriteAllTextAsync(temp, text);
        File.Move(temp, ConfigFile, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
