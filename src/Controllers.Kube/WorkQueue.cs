namespace Controllers.Kube;

/// <summary>
/// client-go's rate-limited work queue, in small: a key is handed to one worker at a time; a key added while it is
/// being processed is handed out again after <see cref="Done"/>; a key added many times while waiting is processed
/// once; <see cref="AddAfter"/> schedules with the <see cref="TimeProvider"/> (no sleeping worker); failures back off
/// per key exponentially (<see cref="AddRateLimited"/>) until <see cref="Forget"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: client-go's name for it.")]
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly object _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly Dictionary<T, (DateTimeOffset Due, ITimer Timer)> _delayed = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private bool _shutDown;

    public WorkQueue(TimeProvider? time = null, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _time = time ?? TimeProvider.System;
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>Keys waiting (not counting delayed ones or those being processed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            if (_shutDown || !_dirty.Add(item))
            {
                return;
            }

            if (!_processing.Contains(item))
            {
                _queue.Enqueue(item);
                _available.Release();
            }
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending schedule for the same key wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(item, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            var timer = _time.CreateTimer(_ => Fire(item, due), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[item] = (due, timer);
        }
    }

    /// <summary>Adds the key after its next backoff delay (base * 2^failures, capped).</summary>
    public void AddRateLimited(T item)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var n = _failures.GetValueOrDefault(item);
            _failures[item] = n + 1;
            var ms = _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(n, 30));
            delay = TimeSpan.FromMilliseconds(Math.Min(ms, _maxDelay.TotalMilliseconds));
        }

        AddAfter(item, delay);
    }

    /// <summary>How many times the key failed since it was last forgotten.</summary>
    public int Failures(T item)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(item);
        }
    }

    /// <summary>Stops the backoff for a key (call after it was processed successfully).</summary>
    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    /// <summary>Waits for the next key; null when the queue is shut down.</summary>
    public async Task<(bool Ok, T Item)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    if (_shutDown)
                    {
                        _available.Release(); // wake the next waiter too
                        return (false, default!);
                    }

                    continue;
                }

                var item = _queue.Dequeue();
                _processing.Add(item);
                _dirty.Remove(item);
                return (true, item);
            }
        }
    }

    /// <summary>Marks the key processed; if it was added meanwhile it is queued again.</summary>
    public void Done(T item)
    {
        lock (_gate)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item) && !_shutDown)
            {
                _queue.Enqueue(item);
                _available.Release();
            }
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            _shutDown = true;
            foreach (var (_, d) in _delayed)
            {
                d.Timer.Dispose();
            }

            _delayed.Clear();
            _queue.Clear();
            _available.Release();
        }
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }

    private void Fire(T item, DateTimeOffset due)
    {
        lock (_gate)
        {
            if (!_delayed.TryGetValue(item, out var d) || d.Due != due)
            {
                return;
            }

            d.Timer.Dispose();
            _delayed.Remove(item);
        }

        Add(item);
    }
}
