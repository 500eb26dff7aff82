namespace Injector.Hosting;

/// <summary>
/// The arrays request bodies are read into, reused across requests and given back when the webhook goes idle
/// (<see cref="IdleMemoryTrimmer"/>). Not <c>ArrayPool.Shared</c>: a large review's array is on the large object
/// heap, and the shared pool keeps a few per core for a minute or more after a burst; here what is kept is capped,
/// and all of it goes as soon as the requests stop, so the process shrinks back to its idle size.
/// </summary>
internal sealed class RequestBufferPool
{
    /// <summary>Sizes are rounded up to this, so bodies of similar sizes share arrays.</summary>
    private const int Granularity = 16 * 1024;

    private readonly long _retainBytes;
    private readonly Lock _gate = new();
    private readonly List<byte[]> _free = [];
    private long _freeBytes;
    private long _rents;

    /// <param name="retainBytes">At most this much is kept for reuse; returned arrays beyond it are left to the GC.</param>
    public RequestBufferPool(long retainBytes)
    {
        _retainBytes = retainBytes;
    }

    /// <summary>How many arrays were handed out so far: one per request with a body.</summary>
    public long Rents => Interlocked.Read(ref _rents);

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes (its contents are not cleared).</summary>
    public byte[] Rent(int minimumLength)
    {
        Interlocked.Increment(ref _rents);
        lock (_gate)
        {
            // Few arrays are ever free at once (about one per concurrent request): a scan for the smallest fit is cheap.
            var best = -1;
            for (var i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= minimumLength && (best < 0 || _free[i].Length < _free[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var array = _free[best];
                _free[best] = _free[^1];
                _free.RemoveAt(_free.Count - 1);
                _freeBytes -= array.Length;
                return array;
            }
        }

        var length = (int)Math.Min(((long)minimumLength + Granularity - 1) / Granularity * Granularity, Array.MaxLength);
        return GC.AllocateUninitializedArray<byte>(Math.Max(length, minimumLength));
    }

    public void Return(byte[] array)
    {
        lock (_gate)
        {
            if (_freeBytes + array.Length <= _retainBytes)
            {
                _free.Add(array);
                _freeBytes += array.Length;
            }
        }
    }

    /// <summary>Drops every kept array (the next collection frees them).</summary>
    public void Trim()
    {
        lock (_gate)
        {
            _free.Clear();
            _freeBytes = 0;
        }
    }
}
