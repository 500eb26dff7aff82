using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Injector.Hosting;

/// <summary>
/// Replaces Kestrel's memory pool factory (ASP.NET Core 10 takes it from the container), so that the pools Kestrel
/// creates can be trimmed together by <see cref="IdleMemoryTrimmer"/>.
/// </summary>
internal sealed class TrimmableMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly Lock _gate = new();
    private readonly List<TrimmableMemoryPool> _pools = [];

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new TrimmableMemoryPool();
        lock (_gate)
        {
            _pools.Add(pool);
        }

        return pool;
    }

    /// <summary>How many blocks the pools hold free for reuse.</summary>
    public int FreeBlocks
    {
        get
        {
            lock (_gate)
            {
                return _pools.Sum(p => p.FreeBlocks);
            }
        }
    }

    /// <summary>Blocks rented from all the pools so far (see <see cref="TrimmableMemoryPool.Rents"/>).</summary>
    public long Rents
    {
        get
        {
            lock (_gate)
            {
                return _pools.Sum(p => p.Rents);
            }
        }
    }

    public void Trim()
    {
        lock (_gate)
        {
            foreach (var pool in _pools)
            {
                pool.Trim();
            }
        }
    }
}
