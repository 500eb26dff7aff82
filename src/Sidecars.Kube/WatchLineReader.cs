using System.Buffers;

namespace Sidecars.Kube;

/// <summary>
/// Splits a watch stream into newline-delimited events without decoding to strings, and bounds a line: an endless
/// line from a broken or hostile server would otherwise grow without limit.
/// </summary>
internal sealed class WatchLineReader(Stream stream) : IDisposable
{
    /// <summary>etcd stores objects up to 1.5 MiB; an event is one object plus a few bytes.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private int _scanned;

    /// <summary>The next line without its newline, or null at the end of the stream. Valid until the next call.</summary>
    /// <exception cref="KubeApiException">A line exceeds <see cref="MaxLineBytes"/>.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, _scanned + newline - _start);
                _start = _scanned = _scanned + newline + 1;
                return line;
            }

            _scanned = _end;
            if (_end == _buffer.Length)
            {
                Compact();
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0)
            {
                // A last line without a newline still counts.
                if (_end > _start)
                {
                    var last = _buffer.AsMemory(_start, _end - _start);
                    _start = _scanned = _end;
                    return last;
                }

                return null;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Compact()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new KubeApiException(0, null, $"an event is larger than {MaxLineBytes / (1024 * 1024)} MiB");
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxLineBytes, _buffer.Length * 2));
            _buffer.AsSpan(0, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _scanned -= _start;
        _start = 0;
        _end = pending;
    }
}
