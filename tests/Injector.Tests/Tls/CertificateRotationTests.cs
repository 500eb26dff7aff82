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
            ReloadInterval = TimeSpan.FromSeconds(30), // long: the swap must be noticed through file events
            JsonLogs = false,
        });
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(first.CaFile));

        var second = WriteGeneration("..2026_11_23_01_00_00.000000002");
        SwapData(second.Directory);

        await Eventually.TrueAsync(async () => await PresentedThumbprintAsync(second.CaFile) == second.Thumbprint, "the rotated certificate to be served");
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public async Task A_half_written_rotation_keeps_serving_the_previous_certificate()
    {
        var first = WriteGeneration("gen1");
        var cert = Path.Combine(_volume, "tls.crt");
        var key = Path.Combine(_volume, "tls.key");
        File.Copy(Path.Combine(first.Directory, "tls.crt"), cert);
        File.Copy(Path.Combine(first.Directory, "tls.key"), key);
        _host = await WebhookHost.StartAsync(new ServeOptions { Port = 0, HealthPort = 0, ListenAddress = "127.0.0.1", TlsCertFile = cert, TlsKeyFile = key, JsonLogs = false });

        // New certificate, old key: does not load; the old pair stays in service and a reload error is counted.
        var second = WriteGeneration("gen2");
        File.Copy(Path.Combine(second.Directory, "tls.crt"), cert, overwrite: true);
        Assert.False(_host.Certificate.TryReload(out var error));
        Assert.NotNull(error);
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(first.CaFile));

        // The key arrives: the next check picks the consistent pair up.
        File.Copy(Path.Combine(second.Directory, "tls.key"), key, overwrite: true);
        await Eventually.TrueAsync(async () => await PresentedThumbprintAsync(second.CaFile) == second.Thumbprint, "the completed rotation");
        using var plain = new HttpClient();
        Assert.Contains("injector_tls_reloads_total{result=\"error\"}", await plain.GetStringAsync(new Uri(_host.HealthUri, "/metrics")), StringComparison.Ordinal);
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
