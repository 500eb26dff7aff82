using System.Runtime;

namespace Injector.Hosting;

/// <summary>
/// Gives memory back when a burst of reviews is over. A .NET process only collects garbage when it allocates, so
/// after a burst the heap keeps its high-water mark (request buffers, gen0 budget, Kestrel's pipes) for as long as the
/// webhook is quiet, which for a webhook is most of the time. Once traffic has come in (requests, or only connections:
/// a storm of failed TLS handshakes left ~20 MiB of OpenSSL's freed state behind) and then none for a whole
/// <see cref="Interval"/>, this drops the kept request buffers and Kestrel's free blocks, runs one compacting
/// collection that also decommits the free heap (GCCollectionMode.Aggressive: a few milliseconds on a heap this size),
/// and gives the C library's free pages back (<see cref="NativeHeap"/>).
/// </summary>
internal sealed class IdleMemoryTrimmer : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly RequestBufferPool _buffers;
    private readonly TrimmableMemoryPoolFactory _kestrelPools;
    private readonly TimeProvider _time;
    private long _seen;
    private bool _busy;

    /// <param name="buffers">The request buffers: dropped, and how request bodies are seen coming in.</param>
    /// <param name="kestrelPools">Kestrel's buffer pools: their free blocks are dropped, and how connections are seen coming in.</param>
    public IdleMemoryTrimmer(RequestBufferPool buffers, TrimmableMemoryPoolFactory kestrelPools, TimeProvider time)
    {
        _buffers = buffers;
        _kestrelPools = kestrelPools;
        _time = time;
    }

    /// <summary>How many times memory was trimmed.</summary>
    public int Trims { get; private set; }

    /// <summary>
    /// One blocking, compacting collection that also decommits the free heap: after a burst, and once after start-up
    /// (configuration, DI, TLS and metrics set-up leave a few MiB of garbage that nothing else would collect). Then
    /// the native heap: what the finalizers just freed, and what connections freed (<see cref="NativeHeap"/>).
    /// </summary>
    public static void Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim();
    }

    /// <summary>
    /// One check, every <see cref="Interval"/>: trims once when traffic came in before the previous check and none
    /// since. Traffic is what rents buffers: request bodies, and Kestrel's blocks (every connection's bytes, so TLS
    /// handshakes that never become a request count too). Returns whether it trimmed.
    /// </summary>
    internal bool Tick()
    {
        var now = _buffers.Rents + _kestrelPools.Rents;
        if (now != _seen)
        {
            _seen = now;
            _busy = true;
            return false;
        }

        if (!_busy)
        {
            return false;
        }

        _busy = false;
        _buffers.Trim();
        _kestrelPools.Trim();
        Collect();
        Trims++;
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
