using System.Buffers;
using System.Net;
using System.Net.Sockets;
using AppUp.Diagnostics;
using AppUp.Http;
using AppUp.Routing;

namespace AppUp.Server;

/// <summary>
/// The socket loop around <see cref="HttpSession"/>: accept, receive, process, send. Everything HTTP lives in
/// the session; this class only moves bytes, enforces the idle timeout and closes politely.
/// </summary>
internal sealed class HttpServer : IDisposable
{
    /// <summary>Closes idle and slow connections so a stuck client cannot pin a socket forever.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _listener;
    private readonly Router _router;
    private readonly HttpDate _date;

    private HttpServer(Socket listener, Router router, HttpDate date)
    {
        _listener = listener;
        _router = router;
        _date = date;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>"0.0.0.0" or "[::]" (which also takes IPv4): what the start log reports.</summary>
    public string Address => _listener.AddressFamily == AddressFamily.InterNetworkV6 ? "[::]" : "0.0.0.0";

    /// <summary>
    /// Binds every interface: the kubelet probes the pod IP, not loopback. Dual-stack when the kernel has IPv6
    /// (IPv6-only clusters exist), plain IPv4 otherwise.
    /// </summary>
    public static HttpServer Listen(int port, Router router, HttpDate date)
    {
        Socket? socket = null;
        if (Socket.OSSupportsIPv6)
        {
            try
            {
                socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
                socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            }
            catch (SocketException e) when (e.SocketErrorCode is not (SocketError.AddressAlreadyInUse or SocketError.AccessDenied))
            {
                // IPv6 present but unusable (e.g. disabled by sysctl in the pod): fall back to IPv4.
                socket?.Dispose();
                socket = null;
            }
        }

        if (socket is null)
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        socket.Listen(512);
        return new HttpServer(socket, router, date);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. EMFILE: log, back off briefly instead of spinning, keep serving.
                Log.Error($"accept failed: {e.SocketErrorCode}");
                await Task.Delay(50, CancellationToken.None);
                continue;
            }

            // Fire and forget: ServeAsync owns the socket and never throws.
            _ = ServeAsync(client, stop);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        // The receive buffer (the header cap: a head that does not fit is answered 431 by the session) is rented only
        // while bytes are pending. Between requests the connection waits with a zero-byte receive and holds no
        // buffer, so a thousand idle keep-alive connections cost kilobytes, not 8 MiB.
        byte[]? buffer = null;
        var output = new ArrayBufferWriter<byte>(256);
        var session = new HttpSession(_router, _date, HttpRequestParser.DefaultMaxHeadBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var buffered = 0;
        var close = false;
        try
        {
            socket.NoDelay = true;
            while (!close)
            {
                timeout.CancelAfter(IdleTimeout);
                if (buffered == 0)
                {
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, timeout.Token);
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(HttpRequestParser.DefaultMaxHeadBytes);

                var received = await socket.ReceiveAsync(buffer.AsMemory(buffered, HttpRequestParser.DefaultMaxHeadBytes - buffered), SocketFlags.None, timeout.Token);
                if (received == 0)
                {
                    break;
                }

                buffered += received;
                SessionStatus status;
                do
                {
                    status = session.Process(buffer.AsSpan(0, buffered), output, out var consumed);
                    if (consumed > 0)
                    {
                        buffer.AsSpan(consumed, buffered - consumed).CopyTo(buffer);
                        buffered -= consumed;
                    }

                    if (output.WrittenCount > 0)
                    {
                        await SendAllAsync(socket, output.WrittenMemory, timeout.Token);
                        output.ResetWrittenCount();
                    }
                }
                while (status == SessionStatus.OutputFull);

                close = status == SessionStatus.Close;
                if (buffered == 0 && !close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }

            if (close)
            {
                await LingerCloseAsync(socket, buffer!, timeout);
            }
        }
        catch (OperationCanceledException)
        {
            // Idle timeout or shutdown.
        }
        catch (SocketException)
        {
            // Peer reset; nothing to tell anyone.
        }
        catch (Exception e)
        {
            Log.Error($"connection failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            socket.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>
    /// After an error response: stop sending, then read and drop what the client still sends for a moment.
    /// Closing with unread data makes the kernel send RST, which can destroy the response before it is read.
    /// </summary>
    private static async ValueTask LingerCloseAsync(Socket socket, byte[] buffer, CancellationTokenSource timeout)
    {
        socket.Shutdown(SocketShutdown.Send);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        var drained = 0;
        while (drained < 64 * 1024)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (received == 0)
            {
                return;
            }

            drained += received;
        }
    }

    public void Dispose() => _listener.Dispose();
}
