using Sidecars.Runtime.Logging;
using Shawarma.State;

namespace Shawarma.Watching;

/// <summary>
/// Joins the Service and EndpointSlice snapshots and publishes the state when it changes. Nothing is published
/// before both first lists are in, so the app never sees a guessed <c>inactive</c> before the real state.
/// </summary>
internal sealed class StateTracker
{
    private readonly string _pod;
    private readonly SidecarLog _log;
    private readonly Action<DeploymentState> _onChange;
    private readonly Lock _lock = new();
    private IReadOnlyCollection<string>? _services;
    private IReadOnlyCollection<EndpointSliceInfo>? _slices;
    private DeploymentState? _current;

    public StateTracker(string pod, SidecarLog log, Action<DeploymentState> onChange, IReadOnlyCollection<string>? fixedServices = null)
    {
        _pod = pod;
        _log = log;
        _onChange = onChange;
        _services = fixedServices;
    }

    /// <summary>The last decided state, or null until the first full lists have been processed.</summary>
    public DeploymentState? Current => Volatile.Read(ref _current);

    public void SetServices(IReadOnlyCollection<string> services)
    {
        lock (_lock)
        {
            _services = services;
            Recompute();
        }
    }

    public void SetSlices(IReadOnlyCollection<EndpointSliceInfo> slices)
    {
        lock (_lock)
        {
            _slices = slices;
            Recompute();
        }
    }

    private void Recompute()
    {
        if (_services is null || _slices is null)
        {
            return;
        }

        var state = ActivityEvaluator.Evaluate(_pod, _services, _slices);
        if (state.Equals(_current))
        {
            return;
        }

        _log.Info(_current is null
            ? $"initial state: {state} (matched services: [{string.Join(", ", _services)}])"
            : $"state changed: {_current} -> {state}");
        Volatile.Write(ref _current, state);
        _onChange(state);
    }
}
