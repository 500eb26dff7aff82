using TestKit.Kube.Storage;

namespace TestKit.Kube.Simulation;

/// <summary>
/// Runs simulated controllers against a store: ticks on demand (<see cref="Tick"/>, for tick-by-tick tests) or on a
/// timer of the server's <see cref="TimeProvider"/> (a FakeTimeProvider's Advance ticks them; the system clock ticks
/// them in the background). Reconciles never overlap.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private readonly KubeStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _reconcileLock = new();
    private readonly List<ControllerSimulation> _controllers = [];
    private readonly List<ITimer> _timers = [];
    private volatile ControllerSimulation[] _snapshot = [];
    private bool _disposed;

    internal ControllerHost(KubeStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Number of ticks run so far.</summary>
    public int Ticks { get; private set; }

    /// <summary>
    /// Adds a controller. With <paramref name="tickInterval"/> it ticks by itself on the server's clock; without, only
    /// when <see cref="Tick"/> is called.
    /// </summary>
    public T Add<T>(T controller, TimeSpan? tickInterval = null)
        where T : ControllerSimulation
    {
        ArgumentNullException.ThrowIfNull(controller);
        lock (_reconcileLock)
        {
            _controllers.Add(controller);
            _snapshot = [.. _controllers];
            if (tickInterval is { } interval)
            {
                _timers.Add(_time.CreateTimer(_ => TickOne(controller), null, interval, interval));
            }
        }

        return controller;
    }

    /// <summary>Runs one reconcile of every controller, now, on this thread.</summary>
    public void Tick()
    {
        lock (_reconcileLock)
        {
            Ticks++;
            foreach (var controller in _controllers)
            {
                controller.Reconcile(_store, _time.GetUtcNow());
            }
        }
    }

    /// <summary>Ticks <paramref name="count"/> times.</summary>
    public void Tick(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Tick();
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_reconcileLock)
        {
            _disposed = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }

        return ValueTask.CompletedTask;
    }

    internal void Notify(StoredChange change)
    {
        foreach (var controller in _snapshot)
        {
            controller.OnChange(change);
        }
    }

    private void TickOne(ControllerSimulation controller)
    {
        lock (_reconcileLock)
        {
            if (_disposed)
            {
                return;
            }

            Ticks++;
            controller.Reconcile(_store, _time.GetUtcNow());
        }
    }
}
