using Injector.Hosting;

namespace Injector.Tests.Hosting;

/// <summary>
/// The pools the webhook gives back after a burst, and the tick that decides when: once requests came in and then
/// none for a whole interval, never while they keep coming, never twice for one burst.
/// </summary>
public sealed class IdleMemoryTrimmerTests
{
    [Fact]
    public void Trims_once_after_a_burst_and_not_while_requests_keep_coming()
    {
        var buffers = new RequestBufferPool(retainBytes: 1024 * 1024);
        var kestrel = new TrimmableMemoryPoolFactory();
        using var pool = kestrel.Create();
        var trimmer = new IdleMemoryTrimmer(buffers, kestrel, TimeProvider.System);
        Assert.False(trimmer.Tick()); // nothing came in yet

        for (var tick = 0; tick < 3; tick++)
        {
            buffers.Return(buffers.Rent(100));
            pool.Rent().Dispose();
            Assert.False(trimmer.Tick()); // busy
        }

        Assert.Equal(1, kestrel.FreeBlocks);
        Assert.True(trimmer.Tick()); // a whole interval without requests
        Assert.Equal(0, kestrel.FreeBlocks);
        Assert.False(trimmer.Tick());
        Assert.False(trimmer.Tick());
        Assert.Equal(1, trimmer.Trims);

        buffers.Return(buffers.Rent(100));
        Assert.False(trimmer.Tick());
        Assert.True(trimmer.Tick());
        Assert.Equal(2, trimmer.Trims);
    }

    [Fact]
    public void Connections_that_never_become_requests_are_traffic_too()
    {
        // A storm of failed TLS handshakes: Kestrel reads every ClientHello into its blocks, no request buffer is rented.
        var buffers = new RequestBufferPool(retainBytes: 1024 * 1024);
        var kestrel = new TrimmableMemoryPoolFactory();
        using var pool = kestrel.Create();
        var trimmer = new IdleMemoryTrimmer(buffers, kestrel, TimeProvider.System);

        pool.Rent().Dispose();
        Assert.Equal(1, kestrel.Rents);
        Assert.False(trimmer.Tick()); // busy
        pool.Rent().Dispose();
        Assert.False(trimmer.Tick()); // still busy
        Assert.True(trimmer.Tick()); // quiet for a whole interval
        Assert.Equal(0, kestrel.FreeBlocks);
        Assert.Equal(0, buffers.Rents);
        Assert.False(trimmer.Tick());
        Assert.Equal(1, trimmer.Trims);
    }

    [Fact]
    public void Request_buffers_are_reused_by_best_fit_kept_up_to_the_cap_and_dropped_by_a_trim()
    {
        var pool = new RequestBufferPool(retainBytes: 64 * 1024);
        var small = pool.Rent(1_500);
        var large = pool.Rent(40_000);
        Assert.True(small.Length >= 1_500);
        Assert.True(large.Length >= 40_000);
        Assert.Equal(2, pool.Rents);

        pool.Return(large);
        pool.Return(small);
        Assert.Same(small, pool.Rent(1_000)); // the smallest that fits, not the first
        Assert.Same(large, pool.Rent(1_000));

        var third = pool.Rent(40_000);
        pool.Return(large);
        pool.Return(third); // over the cap: left to the GC
        Assert.Same(large, pool.Rent(40_000));
        Assert.NotSame(third, pool.Rent(40_000));

        pool.Return(small);
        pool.Trim();
        Assert.NotSame(small, pool.Rent(1_000));
    }

    [Fact]
    public void Kestrel_blocks_are_pinned_32_KiB_reused_and_dropped_by_a_trim()
    {
        var factory = new TrimmableMemoryPoolFactory();
        var pool = factory.Create();
        Assert.Equal(TrimmableMemoryPool.BlockSize, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TrimmableMemoryPool.BlockSize + 1));

        var block = pool.Rent();
        Assert.Equal(32 * 1024, block.Memory.Length);
        var memory = block.Memory;
        block.Dispose();
        var again = pool.Rent(100);
        Assert.True(again.Memory.Span == memory.Span); // the same block back
        again.Dispose();

        factory.Trim();
        Assert.Equal(0, factory.FreeBlocks);
        using var fresh = pool.Rent();
        Assert.False(fresh.Memory.Span == memory.Span);

        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }
}
