using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shawarma.Logging;
using Shawarma.State;

namespace Shawarma.Http;

/// <summary>
/// The sidecar's local HTTP server on raw sockets (ASP.NET Core would multiply the binary size and memory):
/// <c>GET /deploymentstate</c> -> the state JSON, <c>GET /_health</c> -> 200, other paths 404, other methods 405.
/// HTTP/1.1 keep-alive; request bodies are not read (the connection is closed after answering such a request).
/// </summary>
internal sealed class StateServer : IDisposable
{
    private const int MaxConnections = 128;
    private const int BufferSize = 4096;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private static readonly byte[] HealthKeepAlive = Response(200, "OK", "text/plain", "OK"u8, keepAlive: true);
    private static readonly byte[] HealthClose = Response(200, "OK", "text/plain", "OK"u8, keepAlive: false);
    private static readonly byte[] NotFoundKeepAlive = Response(404, "Not Found", "text/plain", "not found\n"u8, keepAlive: true);
    private static readonly byte[] NotFoundClose = Response(404, "Not Found", "text/plain", "not found\n"u8, keepAlive: false);
    private static readonly byte[] MethodNotAllowedKeepAlive = Response(405, "Method Not Allowed", "text/plain", "method not allowed\n"u8, keepAlive: true, "Allow: GET, HEAD\r\n");
    private static readonly byte[] MethodNotAllowedClose = Response(405, "Method Not Allowed", "text/plain", "method not allowed\n"u8, keepAlive: false, "Allow: GET, HEAD\r\n");

    private readonly Socket _listener;
    private readonly Func<DeploymentState> _state;
    private readonly Log _log;
    private int _connections;
    private CachedState? _cached;

    private StateServer(Socket listener, Func<DeploymentState> state, Log log)
    {
        _listener = listener;
        _state = state;
        _log = log;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> (local only, as the original).</summary>
    /// <exception cref="SocketException">The port is taken or not allowed.</exception>
    public static StateServer Start(int port, Func<DeploymentState> state, Log log)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new StateServer(listener, state, log);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.Warn($"http: accept failed: {e.Message}");
                continue;
            }

            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose(); // bound memory under a connection flood
                continue;
            }

            _ = ServeAsync(client, ct);
        }
    }

    public void Dispose() => _listener.Dispose();

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            client.NoDelay = true;
            var filled = 0;
            while (true)
            {
                int headEnd;
                while ((headEnd = RequestHeadParser.FindHeadEnd(buffer.AsSpan(0, filled))) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        await SendAsync(client, Response(431, "Request Header Fields Too Large", "text/plain", "request head too large\n"u8, false), ct).ConfigureAwait(false);
                        return;
                    }

                    idle.CancelAfter(IdleTimeout);
                    var read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var head = RequestHeadParser.Parse(buffer.AsSpan(0, headEnd));
                if (head is null)
                {
                    await SendAsync(client, Response(400, "Bad Request", "text/plain", "malformed request\n"u8, false), ct).ConfigureAwait(false);
                    return;
                }

                var keepAlive = head.KeepAlive && !head.HasBody;
                await SendAsync(client, Route(head, keepAlive), ct).ConfigureAwait(false);
                if (!keepAlive)
                {
                    return;
                }

                // Keep any pipelined bytes that followed this head.
                Buffer.BlockCopy(buffer, headEnd, buffer, 0, filled - headEnd);
                filled -= headEnd;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // client went away, idle timeout, or shutdown
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            client.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    private byte[] Route(HttpRequestHead head, bool keepAlive)
    {
        var isGet = head.Method is "GET" or "HEAD";
        byte[] response = head.Path switch
        {
            "/deploymentstate" or "/_health" when !isGet => keepAlive ? MethodNotAllowedKeepAlive : MethodNotAllowedClose,
            "/deploymentstate" => StateResponse(keepAlive),
            "/_health" => keepAlive ? HealthKeepAlive : HealthClose,
            _ => keepAlive ? NotFoundKeepAlive : NotFoundClose,
        };

        if (_log.IsEnabled(LogLevel.Trace))
        {
            _log.Write(LogLevel.Trace, $"http: {head.Method} {head.Path} -> {Encoding.ASCII.GetString(response, 9, 3)}");
        }

        return head.Method == "HEAD" ? response.AsSpan(0, response.AsSpan().IndexOf("\r\n\r\n"u8) + 4).ToArray() : response;
    }

    /// <summary>The rendered state responses are cached per state: GETs allocate nothing.</summary>
    private byte[] StateResponse(bool keepAlive)
    {
        var state = _state();
        var cached = Volatile.Read(ref _cached);
        if (!ReferenceEquals(cached?.State, state))
        {
            cached = new CachedState(
                state,
                Response(200, "OK", "application/json", state.JsonUtf8, keepAlive: true),
                Response(200, "OK", "application/json", state.JsonUtf8, keepAlive: false));
            Volatile.Write(ref _cached, cached);
        }

        return keepAlive ? cached.KeepAlive : cached.Close;
    }

    private sealed record CachedState(DeploymentState State, byte[] KeepAlive, byte[] Close);

    private static byte[] Response(int status, string reason, string contentType, ReadOnlySpan<byte> body, bool keepAlive, string extraHeaders = "")
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n{extraHeaders}{(keepAlive ? "" : "Connection: close\r\n")}\r\n");
        var response = new byte[head.Length + body.Length];
        head.CopyTo(response, 0);
        body.CopyTo(response.AsSpan(head.Length));
        return response;
    }

    private static async Task SendAsync(Socket client, byte[] response, CancellationToken ct)
    {
        var sent = 0;
        while (sent < response.Length)
        {
            sent += await client.SendAsync(response.AsMemory(sent), SocketFlags.None, ct).ConfigureAwait(false);
        }
    }
}
