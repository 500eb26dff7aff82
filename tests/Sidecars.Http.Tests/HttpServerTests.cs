using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Sidecars.Http.Tests.Support;

namespace Sidecars.Http.Tests;

/// <summary>The socket loop over real loopback connections, with timeouts shortened so each limit shows in a second.</summary>
public sealed class HttpServerTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _clients = [];
    private HttpServer? _server;
    private Task? _serving;

    private HttpServer Start(HttpServerOptions options)
    {
        _server = HttpServer.Listen(options, new SwitchHandler());
        _serving = _server.RunAsync(_stop.Token);
        return _server;
    }

    private async Task<Socket> ConnectAsync(int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        _clients.Add(socket);
        await socket.ConnectAsync(IPAddress.Loopback, _server!.LocalEndPoint.Port);
        return socket;
    }

    /// <summary>Reads until the server closes; returns what came and how long the close took from now.</summary>
    private static async Task<(string Text, TimeSpan After)> ReadUntilClosedAsync(Socket socket)
    {
        var started = Stopwatch.GetTimestamp();
        var all = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                all.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // Reset by the server: closed all the same.
        }

        return (all.ToString(), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A fresh connection sends one request and gets the whole answer.</summary>
    private async Task<string> GetAsync(string path)
    {
        var socket = await ConnectAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        return (await ReadUntilClosedAsync(socket)).Text;
    }

    [Fact]
    public async Task A_client_trickling_a_byte_at_a_time_is_closed_at_the_request_deadline()
    {
        // Each byte comes well within any per-read timeout; only a deadline for the whole head ends this.
        Start(new HttpServerOptions { RequestTimeout = TimeSpan.FromSeconds(1) });
        var socket = await ConnectAsync();
        var head = Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 200));
        var started = Stopwatch.GetTimestamp();
        var closed = ReadUntilClosedAsync(socket);
        var sent = 0;
        try
        {
            while (!closed.IsCompleted && sent < head.Length)
            {
                await socket.SendAsync(head.AsMemory(sent, 1));
                sent++;
                await Task.WhenAny(closed, Task.Delay(200));
            }
        }
        catch (SocketException)
        {
            // The server closed while we were sending.
        }

        var (text, _) = await closed;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal("", text);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.True(sent < head.Length, "the whole head was trickled without the server closing");
    }

    [Fact]
    public async Task Keep_alive_requests_each_get_their_own_deadline()
    {
        // A client that sends a whole request every 400 ms is slow but legitimate: the deadline is per request.
        Start(new HttpServerOptions { RequestTimeout = TimeSpan.FromSeconds(1), KeepAliveTimeout = TimeSpan.FromSeconds(5) });
        var socket = await ConnectAsync();
        var buffer = new byte[4096];
        for (var i = 0; i < 5; i++)
        {
            await socket.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var read = await socket.ReceiveAsync(buffer);
            Assert.StartsWith("HTTP/1.1 200 OK", Encoding.ASCII.GetString(buffer, 0, read));
            await Task.Delay(400);
        }
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout()
    {
        Start(new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromMilliseconds(500) });
        var socket = await ConnectAsync();
        await socket.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var (text, after) = await ReadUntilClosedAsync(socket);
        Assert.StartsWith("HTTP/1.1 200 OK", text);
        Assert.InRange(after, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(3));
        // The server counts the connection off after closing its socket, so the client can see the close first.
        await Eventually(() => _server!.Connections == 0, "the closed connection counted off");
    }

    [Fact]
    public async Task Connections_beyond_the_cap_are_closed_at_once_and_capacity_comes_back()
    {
        var server = Start(new HttpServerOptions { MaxConnections = 8, RequestTimeout = TimeSpan.FromSeconds(30) });
        var held = new List<Socket>();
        for (var i = 0; i < 8; i++)
        {
            var socket = await ConnectAsync();
            await socket.SendAsync("GET /health HTTP/1.1\r\n"u8.ToArray()); // a head that does not end
            held.Add(socket);
        }

        await Eventually(() => server.Connections == 8, "8 connections open");
        var extra = await ConnectAsync();
        var (text, after) = await ReadUntilClosedAsync(extra);
        Assert.Equal("", text);
        Assert.True(after < TimeSpan.FromSeconds(2), $"the connection over the cap was closed after {after}");

        held[0].Dispose();
        held[1].Dispose();
        await Eventually(() => server.Connections == 6, "two slots free");
        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync("/health"));
    }

    [Fact]
    public async Task Clients_that_pipeline_without_reading_are_dropped_at_the_send_timeout_and_others_are_served()
    {
        var server = Start(new HttpServerOptions { MaxConnections = 4, SendTimeout = TimeSpan.FromMilliseconds(500) });
        var requests = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 2000)));
        using var stop = new CancellationTokenSource();
        var hogs = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            var hog = await ConnectAsync(receiveBuffer: 4096);
            hogs.Add(Task.Run(async () =>
            {
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await hog.SendAsync(requests, SocketFlags.None, stop.Token);
                    }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // Dropped by the server, or the test is over.
                }
            }));
        }

        try
        {
            // On slow cores the first hog can be dropped (its 500 ms send timeout) before the last is counted, so
            // the four are not always seen at once: a dropped hog held its slot too.
            await Eventually(() => server.Connections == 4 || hogs.Any(h => h.IsCompleted), "the hogs hold every slot");

            // Without a send timeout the hogs would hold their slots for ever; with it they are dropped.
            await Eventually(() => hogs.All(h => h.IsCompleted), "the hogs dropped by the server");
            Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync("/health"));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(hogs);
        }
    }

    [Fact]
    public async Task Loopback_only_listens_on_127_0_0_1_and_nowhere_else()
    {
        var server = Start(new HttpServerOptions { LoopbackOnly = true });
        Assert.Equal(IPAddress.Loopback, server.LocalEndPoint.Address);
        Assert.Equal("127.0.0.1", server.Address);
        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync("/health"));

        var other = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (other is not null)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(other, server.LocalEndPoint.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public async Task All_interfaces_is_the_default()
    {
        var server = Start(new HttpServerOptions());
        Assert.Contains(server.Address, new[] { "[::]", "0.0.0.0" });
        Assert.StartsWith("HTTP/1.1 200 OK", await GetAsync("/health"));
    }

    [Fact]
    public async Task Shutdown_closes_open_connections()
    {
        var server = Start(new HttpServerOptions());
        var socket = await ConnectAsync();
        await socket.SendAsync("GET /health HTTP/1.1\r\n"u8.ToArray());
        await Eventually(() => server.Connections == 1, "connection open");
        await _stop.CancelAsync();
        await _serving!;
        var (_, after) = await ReadUntilClosedAsync(socket);
        Assert.True(after < TimeSpan.FromSeconds(3));
        await Eventually(() => server.Connections == 0, "connections closed");
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Deadline.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_serving is not null)
        {
            await _serving;
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _server?.Dispose();
        _stop.Dispose();
    }
}
