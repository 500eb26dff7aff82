using System.Security.Cryptography.X509Certificates;
using System.Text;
using Injector.Cli;
using Injector.Hosting;
using Injector.Tests.Support;
using Injector.Tls;

namespace Injector.Tests.Tls;

/// <summary>
/// A Secret volume the way the kubelet writes it: files are symlinks through <c>..data</c>, which is itself a
/// symlink to a timestamped directory, and rotation swaps <c>..data</c> atomically. The file paths the injector was
/// given never change; the new certificate must be served on new connections without a restart.
/// </summary>
public sealed class CertificateRotationTests : IAsyncLifetime
{
    private readonly string _volume = Directory.CreateTempSubdirectory("secret-volume-").FullName;
    private WebhookHost? _host;

    [Fact]
    public async Task Symlink_swap_of_a_secret_volume_is_served_on_new_connections()
    {
        var first = WriteGeneration("..2026_11_23_00_00_00.000000001");
        SwapData(first.Directory);
        File.CreateSymbolicLink(Path.Combine(_volume, "tls.crt"), Path.Combine("..data", "tls.crt"));
        File.CreateSymbolicLink(Path.Combine(_volume, "tls.key"), Path.Combine("..data", "tls.key"));
        File.CreateSymbolicLink(Path.Combine(_volume, "ca.crt"), Path.Combine("..data", "ca.crt"));

        _host = await WebhookHost.StartAsync(new ServeOptions
        {
            Port = 0,
            HealthPort = 0,
            ListenAddress = "127.0.0.1",
            TlsCertFile = Path.Combine(_volume, "tls.crt"),
            TlsKeyFile = Path.Combine(_volume, "tls.key"),
            ReloadPollInterval = TimeSpan.FromHours(1), // the swap must be noticed through file events, not the poll
            JsonLogs = false,
        });
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(first.CaFile));

        var second = WriteGeneration("..2026_11_23_01_00_00.000000002");
        SwapData(second.Directory);

        await Eventually.TrueAsync(async () => await PresentedThumbprintAsync(second.CaFile) == second.Thumbprint, "the rotated certificate to be served");
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public async Task Without_file_events_the_poll_picks_the_rotation_up()
    {
        var (_, cert, key) = await StartWithPairAsync(options => options with { WatchFileEvents = false, ReloadPollInterval = TimeSpan.FromMilliseconds(200) });

        var second = WriteGeneration("gen2");
        File.Copy(Path.Combine(second.Directory, "tls.crt"), cert + ".new");
        File.Copy(Path.Combine(second.Directory, "tls.key"), key + ".new");
        File.Move(key + ".new", key, overwrite: true);
        File.Move(cert + ".new", cert, overwrite: true);

        await Eventually.TrueAsync(async () => await PresentedThumbprintAsync(second.CaFile) == second.Thumbprint, "the polled rotation to be served");
    }

    [Fact]
    public async Task A_half_written_rotation_keeps_serving_the_previous_certificate()
    {
        var (first, cert, key) = await StartWithPairAsync(options => options);

        // New certificate, old key: does not load; the old pair stays in service and a reload error is counted.
        var second = WriteGeneration("gen2");
        File.Copy(Path.Combine(second.Directory, "tls.crt"), cert, overwrite: true);
        Assert.False(_host!.Certificate.TryReload(out var error));
        Assert.NotNull(error);
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(first.CaFile));

        // The key arrives: the next check picks the consistent pair up.
        File.Copy(Path.Combine(second.Directory, "tls.key"), key, overwrite: true);
        await Eventually.TrueAsync(async () => await PresentedThumbprintAsync(second.CaFile) == second.Thumbprint, "the completed rotation");
        Assert.Equal(1, PrometheusText.Sum(await PrometheusText.ScrapeAsync(_host!.HealthUri), "injector_tls_reloads_total", "result=\"error\"", "reason=\"invalid\""));
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("not-yet-valid")]
    [InlineData("not-a-certificate")]
    [InlineData("key-of-another-certificate")]
    public async Task A_certificate_that_cannot_serve_never_replaces_a_valid_one(string kind)
    {
        var first = TestCertificates.Valid(Path.Combine(_volume, "valid"));
        var cert = Path.Combine(_volume, "tls.crt");
        var key = Path.Combine(_volume, "tls.key");
        File.Copy(first.CertFile, cert);
        File.Copy(first.KeyFile, key);
        _host = await WebhookHost.StartAsync(new ServeOptions { Port = 0, HealthPort = 0, ListenAddress = "127.0.0.1", TlsCertFile = cert, TlsKeyFile = key, JsonLogs = false });
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(first.CaFile));

        var bad = kind switch
        {
            "expired" => TestCertificates.Expired(Path.Combine(_volume, kind)),
            "not-yet-valid" => TestCertificates.NotYetValid(Path.Combine(_volume, kind)),
            _ => TestCertificates.Valid(Path.Combine(_volume, kind)),
        };
        File.Copy(bad.CertFile, cert, overwrite: true);
        File.Copy(bad.KeyFile, key, overwrite: true);
        if (kind == "not-a-certificate")
        {
            await File.WriteAllTextAsync(cert, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        }
        else if (kind == "key-of-another-certificate")
        {
            File.Copy(TestCertificates.Valid(Path.Combine(_volume, "other")).KeyFile, key, overwrite: true);
        }

        Assert.False(_host.Certificate.TryReload(out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(first.CaFile));
        var reason = kind is "expired" or "not-yet-valid" ? kind : "invalid";
        Assert.Equal(1, PrometheusText.Sum(await PrometheusText.ScrapeAsync(_host.HealthUri), "injector_tls_reloads_total", "result=\"error\"", $"reason=\"{reason}\""));
    }

    /// <summary>Starts the webhook on a valid pair copied into plain files tls.crt and tls.key of the volume.</summary>
    private async Task<((string Directory, string Thumbprint, string CaFile) First, string Cert, string Key)> StartWithPairAsync(Func<ServeOptions, ServeOptions> configure)
    {
        var first = WriteGeneration("gen1");
        var cert = Path.Combine(_volume, "tls.crt");
        var key = Path.Combine(_volume, "tls.key");
        File.Copy(Path.Combine(first.Directory, "tls.crt"), cert);
        File.Copy(Path.Combine(first.Directory, "tls.key"), key);
        _host = await WebhookHost.StartAsync(configure(new ServeOptions { Port = 0, HealthPort = 0, ListenAddress = "127.0.0.1", TlsCertFile = cert, TlsKeyFile = key, JsonLogs = false }));
        return (first, cert, key);
    }

    private (string Directory, string Thumbprint, string CaFile) WriteGeneration(string name)
    {
        var dir = Path.Combine(_volume, name);
        var files = SelfSignedCertificates.Create(dir);
        var thumbprint = X509Certificate2.CreateFromPemFile(files.CertFile, files.KeyFile).Thumbprint;
        return (dir, thumbprint, files.CaCertFile);
    }

    /// <summary>The kubelet's atomic writer: make a new symlink, then rename it over <c>..data</c>.</summary>
    private void SwapData(string generationDirectory)
    {
        var temp = Path.Combine(_volume, "..data_tmp");
        File.CreateSymbolicLink(temp, Path.GetFileName(generationDirectory));
        // rename(2) replaces the old link atomically; File.Move would follow a link to a directory.
        Assert.Equal(0, Rename(temp, Path.Combine(_volume, "..data")));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    /// <summary>Opens a new connection (no pooling) and returns the thumbprint the server presented, or null.</summary>
    private async Task<string?> PresentedThumbprintAsync(string caFile)
    {
        string? seen = null;
        using var client = TrustOnlyCaHandler.Create(caFile, cert => seen = cert.Thumbprint, pooled: false);
        try
        {
            using var response = await client.PostAsync(_host!.MutateUri, new StringContent("{}", Encoding.UTF8, "application/json"));
            return seen;
        }
        catch (HttpRequestException)
        {
            return null; // the server presented a certificate this CA did not sign (yet)
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_volume, recursive: true);
    }
}
