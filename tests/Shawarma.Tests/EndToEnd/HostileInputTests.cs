using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using Shawarma.Tests.Fakes;
using TestKit;
using TestKit.Certificates;
using TestKit.Kube;
using TestKit.Kube.Server;

using Sidecars.Runtime.Tests.Support;

namespace Shawarma.Tests.EndToEnd;

/// <summary>Input shawarma does not control (kubeconfig, API server, local clients) never crashes or starves it.</summary>
[Collection(SerialProcesses.Name)]
public sealed class HostileInputTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("deep")]
    [InlineData("mismatched key")]
    public async Task Hostile_kubeconfig_exits_1_with_one_sentence(string kind)
    {
        using var dir = new TempDirectory("shawarma-kc-");
        var path = dir.File("kubeconfig");
        if (kind == "deep")
        {
            File.WriteAllText(path, "current-context: " + new string('[', 100_000));
        }
        else
        {
            await using var server = await KubeApiServer.StartAsync();
            using var mine = server.CertificateAuthority!.IssueClient("me");
            using var other = server.CertificateAuthority!.IssueClient("other");
            server.WriteKubeconfig(path, KubeconfigUser.ClientCertificate(mine));
            File.WriteAllText(path, File.ReadAllText(path).Replace(B64(mine.PrivateKeyPem), B64(other.PrivateKeyPem), StringComparison.Ordinal));
        }

        await using var process = ShawarmaProgram.Start(["monitor", "--kubeconfig", path, "--service", "web", "--pod", "p", "--namespace", "n", "--listen-port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(1, await process.WaitForExitAsync(ExitDeadline));
        Sentences.AssertNoCrashAndMentions(process.Output, kind == "deep" ? path : "does not belong to its client-certificate");
    }

    [Fact]
    public async Task Logs_are_json_lines_by_default_and_text_on_request()
    {
        await using var s = await Scenario.CreateAsync();
        var process = await s.StartActiveAsync("--service", "web", "--disable-notifier");
        await s.StopAsync();
        var lines = process.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(["time", "level", "logger", "msg"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("shawarma", json.RootElement.GetProperty("logger").GetString());
        }

        Assert.Contains(lines, l => l.Contains("\"level\":\"debug\"", StringComparison.Ordinal));

        await using var text = ShawarmaProgram.Start(["monitor", "--log-format", "text", "--service", "web", "--pod", "p", "--namespace", "n", "--kubeconfig", "/nonexistent/kubeconfig"]);
        Assert.Equal(1, await text.WaitForExitAsync(ExitDeadline));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT[\d:.]+Z error shawarma: cannot read kubeconfig '/nonexistent/kubeconfig': a directory on the path does not exist$", text.StdErr.Trim());
    }

    [Fact]
    public async Task Api_answering_every_watch_with_410_is_not_hammered()
    {
        await using var s = await Scenario.CreateAsync();
        // Every watch meets a compacted resourceVersion: 200 and an ERROR event with a 410 Status, at once.
        s.Api.Faults.Add(KubeFault.Delay(TimeSpan.Zero), r =>
        {
            if (r.IsWatch)
            {
                s.Api.Store.ExpireWatches();
            }

            return false;
        });
        await s.StartActiveAsync("--service", "web", "--disable-notifier");
        var lists = s.Lists(ResourceTypes.EndpointSlice);
        await Task.Delay(TimeSpan.FromSeconds(4));
        // With backoff from 0.5 s doubling: about 4 relists in 4 s. Without it: hundreds.
        Assert.InRange(s.Lists(ResourceTypes.EndpointSlice) - lists, 1, 8);
        Assert.Equal(Scenario.Active("web"), await s.GetStateAsync());
        await s.StopAsync();
    }

    [Fact]
    public async Task State_server_serves_new_clients_while_others_pipeline_without_reading()
    {
        await using var s = await Scenario.CreateAsync();
        await s.StartActiveAsync("--service", "web", "--disable-notifier");

        // 300 clients send requests without end and never read: their responses pile up until sends block.
        var request = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /deploymentstate HTTP/1.1\r\nHost: x\r\n\r\n", 1000)));
        var hogs = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var writers = new List<Task>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                var hog = new TcpClient { ReceiveBufferSize = 4096 };
                try
                {
                    await hog.ConnectAsync(IPAddress.Loopback, s.ListenPort);
                }
                catch (SocketException)
                {
                    // Refused beyond the connection cap: fine.
                }

                hogs.Add(hog);
                writers.Add(Task.Run(async () =>
                {
                    try
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            await hog.GetStream().WriteAsync(request, stop.Token);
                        }
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                }));
            }

            // The send timeout frees the hogs' slots; a well-behaved client is then answered.
            await Eventually.TrueAsync(() => NewClientIsAnsweredAsync(s.ListenPort), "a new client answered while hogs pipeline", TimeSpan.FromSeconds(30), s.Diagnostics);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var hog in hogs)
            {
                hog.Dispose();
            }

            await Task.WhenAll(writers);
        }

        await s.StopAsync();
    }

    /// <summary>A fresh connection (not a pooled one that got in before the hogs) gets a whole answer.</summary>
    private static async Task<bool> NewClientIsAnsweredAsync(int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("GET /_health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return (await reader.ReadToEndAsync(timeout.Token)).StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text));
}
