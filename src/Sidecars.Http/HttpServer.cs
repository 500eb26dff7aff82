using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sidecars.Runtime.Errors;
using Sidecars.Runtime.Logging;

namespace Sidecars.Http;

/// <summary>
/// The socket loop around <see cref="HttpSession"/>: accept, receive, process, send. Everything HTTP lives in the
/// session; this class moves bytes and enforces the limits of <see cref="HttpServerOptions"/>: a deadline per
/// request, an idle timeout between requests, a send timeout, a cap on connections, and buffers that are pooled
/// and held only while bytes are in flight.
/// </summary>
public sealed class HttpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly IHttpHandler _handler;
    private readonly HttpServerOptions _options;
    private readonly SidecarLog? _log;
    private readonly TimeProvider _time;
    private readonly HttpDate _date;
    private readonly byte[] _serverName;
    private readonly ArrayPool<byte> _pool;
    private int _connections;
    private int _refusing;

    private HttpServer(Socket listener, IHttpHandler handler, HttpServerOptions options, SidecarLog? log, TimeProvider time)
    {
        _listener = listener;
        _handler = handler;
        _options = options;
        _log = log;
        _time = time;
        _date = new HttpDate(time);
        _serverName = Encoding.ASCII.GetBytes(options.ServerName);
        // A bounded pool rather than ArrayPool.Shared: after a burst of connections it keeps PooledBuffers arrays and
        // lets the GC have the rest, instead of parking them in per-core caches for the life of the process.
        _pool = ArrayPool<byte>.Create(Math.Max(options.MaxHeadBytes, HttpSession.OutputFlushThreshold * 2), options.PooledBuffers);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>"127.0.0.1", "0.0.0.0" or "[::]" (which also takes IPv4): what a start log reports.</summary>
    public string Address => _options.LoopbackOnly ? "127.0.0.1" : _listener.AddressFamily == AddressFamily.InterNetworkV6 ? "[::]" : "0.0.0.0";

    /// <summary>Open connections now (for tests and diagnostics).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Binds and listens; <see cref="RunAsync"/> then serves.</summary>
    /// <exception cref="SocketException">The port is taken or not allowed (<see cref="ErrorText.Describe(SocketError)"/>).</exception>
    public static HttpServer Listen(HttpServerOptions options, IHttpHandler handler, SidecarLog? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        var socket = options.LoopbackOnly ? Bind(AddressFamily.InterNetwork, IPAddress.Loopback, options.Port) : BindAll(options.Port);
        socket.Listen(512);
        return new HttpServer(socket, handler, options, log, time ?? TimeProvider.System);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stop).ConfigureAwait(false);
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
                _log?.Error($"http: cannot accept a connection: {ErrorText.Describe(e.SocketErrorCode)}");
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _connections) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                client.Dispose();
                if (Interlocked.Exchange(ref _refusing, 1) == 0)
                {
                    _log?.Warn($"http: {_options.MaxConnections} connections are open, the most allowed; closing new ones until some end");
                }

                continue;
            }

            Volatile.Write(ref _refusing, 0);

            // Fire and forget: ServeAsync owns the socket and never throws.
            _ = ServeAsync(client, stop);
        }
    }

    public void Dispose() => _listener.Dispose();

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        byte[]? buffer = null;
        using var output = new OutputBuffer(_pool);
        var session = new HttpSession(_handler, _date, _options.MaxHeadBytes, _serverName);
        using var timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var onStop = stop.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timer);
        var buffered = 0;
        var answered = 0L;
        var deadline = 0L;
        var close = false;
        try
        {
            socket.NoDelay = true;
            while (!close)
            {
                if (buffered == 0 && !session.SkippingBody)
                {
                    // Between requests: wait for the next first byte with a zero-byte receive, holding no buffer, so a
                    // thousand idle keep-alive connections cost kilobytes.
                    if (buffer is not null)
                    {
                        _pool.Return(buffer);
                        buffer = null;
                    }

                    timer.CancelAfter(_options.KeepAliveTimeout);
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, timer.Token).ConfigureAwait(false);
                    deadline = _time.GetTimestamp() + ToTicks(_options.RequestTimeout);
                }

                buffer ??= _pool.Rent(_options.MaxHeadBytes);
                if (!ArmUntil(timer, deadline))
                {
                    break; // the request's deadline passed: a slow client, not a slow network
                }

                var received = await socket.ReceiveAsync(buffer.AsMemory(buffered, _options.MaxHeadBytes - buffered), SocketFlags.None, timer.Token).ConfigureAwait(false);
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
                        timer.CancelAfter(_options.SendTimeout);
                        await SendAllAsync(socket, output.WrittenMemory, timer.Token).ConfigureAwait(false);
                        output.Clear();
                    }
                }
                while (status == SessionStatus.OutputFull);

                if (session.RequestsCompleted != answered)
                {
                    // Each pipelined request gets its own deadline, counted from the end of the one before.
                    answered = session.RequestsCompleted;
                    deadline = _time.GetTimestamp() + ToTicks(_options.RequestTimeout);
                }

                close = status == SessionStatus.Close;
            }

            if (close && (session.ClosedOnError || buffered > 0 || session.SkippingBody || socket.Available > 0))
            {
                buffer ??= _pool.Rent(1024);
                await LingerCloseAsync(socket, buffer, timer).ConfigureAwait(false);
            }
            else if (close)
            {
                // The client asked to close and sent nothing more: nothing unread can turn our close into a reset,
                // so no lingering (which would meet the client's own close as an error).
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (OperationCanceledException)
        {
            // A timeout or shutdown.
        }
        catch (SocketException)
        {
            // Peer reset; nothing to tell anyone.
        }
        catch (ObjectDisposedException)
        {
            // Shutdown closed the socket under us.
        }
        catch (Exception e)
        {
            _log?.Error($"http: connection failed: {ErrorText.Describe(e)}");
        }
        finally
        {
            socket.Dispose();
            if (buffer is not null)
            {
                _pool.Return(buffer);
            }

            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Arms the timer to fire at <paramref name="deadline"/>; false when it has passed already.</summary>
    private bool ArmUntil(CancellationTokenSource timer, long deadline)
    {
        var left = deadline - _time.GetTimestamp();
        if (left <= 0)
        {
            return false;
        }

        timer.CancelAfter(TimeSpan.FromSeconds((double)left / _time.TimestampFrequency));
        return true;
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>
    /// After an error response: stop sending, then read and drop what the client still sends for a moment.
    /// Closing with unread data makes the kernel send RST, which can destroy the response before it is read.
    /// </summary>
    private static async ValueTask LingerCloseAsync(Socket socket, byte[] buffer, CancellationTokenSource timer)
    {
        socket.Shutdown(SocketShutdown.Send);
        timer.CancelAfter(TimeSpan.FromSeconds(2));
        var drained = 0;
        while (drained < 64 * 1024)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timer.Token).ConfigureAwait(false);
            if (received == 0)
            {
                return;
            }

            drained += received;
        }
    }

    /// <summary>Every interface: dual-stack when the kernel has a usable IPv6 (IPv6-only clusters exist), else IPv4.</summary>
    private static Socket BindAll(int port)
    {
        if (Socket.OSSupportsIPv6)
        {
            Socket? socket = null;
            try
            {
                socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
                socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode is not (SocketError.AddressAlreadyInUse or SocketError.AccessDenied))
            {
                // IPv6 present but unusable (e.g. disabled by sysctl in the pod): fall back to IPv4.
                socket?.Dispose();
            }
        }

        return Bind(AddressFamily.InterNetwork, IPAddress.Any, port);
    }

    private static Socket Bind(AddressFamily family, IPAddress address, int port)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
