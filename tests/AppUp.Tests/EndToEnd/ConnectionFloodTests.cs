using System.Net;
using System.Net.Sockets;
using AppUp.Tests.Support;

namespace AppUp.Tests.EndToEnd;

/// <summary>Thousands of connections must not take appup past its memory limit (32 Mi in the pod).</summary>
public sealed class ConnectionFloodTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Five_thousand_half_sent_requests_stay_inside_the_memory_limit()
    {
        using var app = await AppUpProcess.StartServingAsync(new Dictionary<string, string?> { ["UP_FILE"] = _dir.File("up.txt"), ["UP_PORT"] = "0" });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Client.GetAsync("/health")).StatusCode);
        var before = Rss(app.Id, "VmRSS");
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 5000; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, app.Port);
                    await socket.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "u8.ToArray()); // a head that never ends
                }
                catch (SocketException)
                {
                    // Refused or reset: the server protects itself, which is fine.
                }
            }

            await Task.Delay(500);
            var grown = Rss(app.Id, "VmHWM") - before;
            Assert.True(grown < 16 * 1024, $"peak RSS grew by {grown / 1024} MiB under 5000 connections (idle {before / 1024} MiB)");
        }
        finally
        {
            foreach (var socket in clients)
            {
                socket.Dispose();
            }
        }

        // Still serving.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Client.GetAsync("/health")).StatusCode);
    }

    private static long Rss(int pid, string field) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
