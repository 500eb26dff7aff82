using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Injector.Hosting;

/// <summary>
/// Kestrel's buffers (socket reads, TLS records, HTTP/2 frames): pinned blocks as in Kestrel's own pool, but of 32 KiB
/// instead of 4 KiB, and every free block can be dropped at once (<see cref="Trim"/>, when the webhook goes idle).
/// Kestrel's pool gives back 5% of its free blocks every 10 s of idleness, so after a burst of large reviews it kept
/// ~7 MiB of pinned blocks for minutes. Handed to Kestrel through <see cref="TrimmableMemoryPoolFactory"/>.
/// </summary>
internal sealed class TrimmableMemoryPool : MemoryPool<byte>
{
    /// <summary>
    /// A socket read fills at most the rest of one block, and Kestrel asks for a new block once less than 2 KiB is left:
    /// with 4 KiB blocks a 150 KB review took ~75 recv calls, each one more trip through the transport, TLS and the
    /// request pipe (measured with strace and perf on the Native AOT webhook). 32 KiB holds two full TLS records, so a
    /// large review arrives in a handful of reads. Blocks are held only while a connection has bytes in flight.
    /// </summary>
    public const int BlockSize = 32 * 1024;

    private readonly ConcurrentQueue<Block> _free = new();
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    private long _rents;

    /// <summary>How many blocks are free for reuse.</summary>
    public int FreeBlocks => _free.Count;

    /// <summary>
    /// Grows with every block rented: any bytes a connection sends (a TLS handshake too, failed or not) come through
    /// here, so <see cref="IdleMemoryTrimmer"/> sees traffic that never becomes a request. Only compared with an earlier
    /// reading, so a plain increment does (a lost update still moves it); no interlocked operation per block.
    /// </summary>
    public long Rents => Volatile.Read(ref _rents);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _rents++;
        return _free.TryDequeue(out var block) ? block : new Block(this);
    }

    /// <summary>Drops the free blocks (the next collection frees them); blocks in use come back as usual.</summary>
    public void Trim()
    {
        while (_free.TryDequeue(out _))
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        Trim();
    }

    private void Return(Block block)
    {
        if (!_disposed)
        {
            _free.Enqueue(block);
        }
    }

    private sealed class Block(TrimmableMemoryPool pool) : IMemoryOwner<byte>
    {
        // On the pinned object heap: sockets and TLS use these buffers without pinning them per operation.
        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Dispose() => pool.Return(this);
    }
}
