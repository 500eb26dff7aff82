namespace Sidecars.Http;

/// <summary>Where a <see cref="HttpServer"/> listens and the limits that keep it inside a sidecar's memory.</summary>
public sealed class HttpServerOptions
{
    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; }

    /// <summary>
    /// Listen on 127.0.0.1 only, where the contract allows it (a server for the app in the same pod). Otherwise every
    /// interface, dual-stack when the kernel has IPv6: the kubelet probes the pod IP, not loopback.
    /// </summary>
    public bool LoopbackOnly { get; init; }

    /// <summary>The <c>Server</c> header; empty leaves it out.</summary>
    public string ServerName { get; init; } = "";

    /// <summary>
    /// From the first byte of a request to the end of its head (and of any body skipped): a client that trickles a
    /// byte at a time cannot hold a connection past it.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a keep-alive connection may sit idle between requests.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one send may wait for a client that does not read its responses.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Open connections at most; more are accepted and closed at once. Each costs a few KiB (a socket, its state, and
    /// pooled buffers only while bytes are in flight), so this bounds the server's memory.
    /// </summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>The request line plus headers; a longer head is answered 431.</summary>
    public int MaxHeadBytes { get; init; } = HttpRequestParser.DefaultMaxHeadBytes;

    /// <summary>Receive and send buffers the pool keeps for reuse; more are allocated and left to the GC.</summary>
    public int PooledBuffers { get; init; } = 32;
}
