using System.Buffers;

namespace Sidecars.Http;

/// <summary>
/// The responses of one connection waiting to be sent. The array comes from the server's pool only while there is
/// something to send and goes back as soon as it is sent, so an idle connection holds no buffer.
/// </summary>
internal sealed class OutputBuffer(ArrayPool<byte> pool) : IBufferWriter<byte>, IDisposable
{
    private byte[]? _array;

    public int WrittenCount { get; private set; }

    public ReadOnlyMemory<byte> WrittenMemory => _array is null ? default : _array.AsMemory(0, WrittenCount);

    public ReadOnlySpan<byte> WrittenSpan => WrittenMemory.Span;

    public void Advance(int count)
    {
        if (count < 0 || _array is null || WrittenCount + count > _array.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(WrittenCount);
    }

    /// <summary>Forgets what was written and gives the array back.</summary>
    public void Clear()
    {
        WrittenCount = 0;
        if (_array is not null)
        {
            pool.Return(_array);
            _array = null;
        }
    }

    public void Dispose() => Clear();

    private void Ensure(int sizeHint)
    {
        var needed = WrittenCount + Math.Max(sizeHint, 1);
        if (_array is not null && needed <= _array.Length)
        {
            return;
        }

        var bigger = pool.Rent(Math.Max(needed, 1024));
        if (_array is not null)
        {
            _array.AsSpan(0, WrittenCount).CopyTo(bigger);
            pool.Return(_array);
        }

        _array = bigger;
    }
}
