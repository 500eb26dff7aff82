using Injector.Cli;
using Injector.Hosting;

namespace Injector.Tests.Support;

/// <summary>A real webhook on loopback (ports picked by the OS) with a freshly generated CA, shared by a test class.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("injector-tests-");

    internal WebhookHost Host { get; private set; } = null!;

    internal HttpClient Client { get; private set; } = null!;

    internal ServeOptions Options => new()
    {
        Port = 0,
        HealthPort = 0,
        ListenAddress = "127.0.0.1",
        SelfSignedDir = _dir.File("tls"),
        MaxRequestBytes = 64 * 1024,
        JsonLogs = false,
    };

    public async Task InitializeAsync()
    {
        Host = await WebhookHost.StartAsync(Options);
        Client = TrustOnlyCaHandler.Create(Host.GeneratedCaFile!);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        _dir.Dispose();
    }
}
