namespace Rollout.Scheduling;

/// <summary>
/// The scheduler's decisions without the waiting: which queued rollout may start now. A job starts when fewer than
/// <see cref="SchedulerOptions.Parallel"/> run overall and fewer than <see cref="SchedulerOptions.MaxPerNamespace"/>
/// in its namespace; jobs keep their queue order, but a job whose namespace is full lets later jobs of other
/// namespaces pass. After <see cref="SchedulerOptions.MaxFailures"/> failures, or <see cref="Stop"/>, nothing
/// starts; what runs finishes. Not thread-safe: one driver owns it.
/// </summary>
public sealed class SchedulingState<T>
    where T : notnull
{
    private readonly List<T> _pending;
    private readonly Func<T, string> _namespaceOf;
    private readonly SchedulerOptions _options;
    private readonly Dictionary<string, int> _perNamespace = new(StringComparer.Ordinal);
    private readonly HashSet<T> _running = [];

    public SchedulingState(IEnumerable<T> jobs, Func<T, string> namespaceOf, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(namespaceOf);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Parallel < 1 || options.MaxPerNamespace < 1 || options.MaxFailures < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "parallel and per-namespace limits must be at least 1, max failures at least 0");
        }

        _pending = [.. jobs];
        _namespaceOf = namespaceOf;
        _options = options;
    }

    public int Running => _running.Count;

    public int Failures { get; private set; }

    public bool Stopped { get; private set; }

    public IReadOnlyList<T> Pending => _pending;

    /// <summary>Why nothing more starts, or null while jobs may still start.</summary>
    public NotStartedReason? Halted =>
        Stopped ? NotStartedReason.Interrupted
        : _options.MaxFailures > 0 && Failures >= _options.MaxFailures ? NotStartedReason.TooManyFailures
        : null;

    /// <summary>True when nothing runs and nothing more will start.</summary>
    public bool Finished => _running.Count == 0 && (_pending.Count == 0 || Halted is not null);

    /// <summary>The next job allowed to start now (it is then running), or false.</summary>
    public bool TryStartNext(out T job)
    {
        job = default!;
        if (Halted is not null || _running.Count >= _options.Parallel)
        {
            return false;
        }

        for (var i = 0; i < _pending.Count; i++)
        {
            var ns = _namespaceOf(_pending[i]);
            if (_perNamespace.GetValueOrDefault(ns) >= _options.MaxPerNamespace)
            {
                continue;
            }

            job = _pending[i];
            _pending.RemoveAt(i);
            _perNamespace[ns] = _perNamespace.GetValueOrDefault(ns) + 1;
            _running.Add(job);
            return true;
        }

        return false;
    }

    public void Complete(T job, bool failed)
    {
        if (!_running.Remove(job))
        {
            throw new InvalidOperationException($"{job} is not running");
        }

        var ns = _namespaceOf(job);
        _perNamespace[ns]--;
        if (failed)
        {
            Failures++;
        }
    }

    /// <summary>Starts nothing more (Ctrl-C); running jobs finish.</summary>
    public void Stop() => Stopped = true;
}
