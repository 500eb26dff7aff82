using System.Threading.Channels;
using Sidecars.Kube;
using Sidecars.Runtime.Logging;
using Shawarma.State;

namespace Shawarma.Notifying;

/// <summary>
/// Delivers the latest state to the app: debounced (a burst of watch events becomes one POST), deduplicated
/// against what was last delivered, retried with capped exponential backoff until the CURRENT state is delivered.
/// A newer state supersedes a pending retry of an older one (the original tried 3 times and then gave up).
/// </summary>
internal sealed class StateNotifier
{
    private readonly Func<DeploymentState, CancellationToken, Task<bool>> _send;
    private readonly SidecarLog _log;
    private readonly TimeSpan _debounce;
    private readonly Backoff _backoff;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private DeploymentState? _desired;

    public StateNotifier(Func<DeploymentState, CancellationToken, Task<bool>> send, SidecarLog log, TimeSpan debounce, TimeSpan maxBackoff)
    {
        _send = send;
        _log = log;
        _debounce = debounce;
        _backoff = new Backoff(TimeSpan.FromMilliseconds(250), maxBackoff);
    }

    public void Update(DeploymentState state)
    {
        Volatile.Write(ref _desired, state);
        _signal.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        DeploymentState? delivered = null;
        try
        {
            while (true)
            {
                await _signal.Reader.ReadAsync(ct).ConfigureAwait(false);
                if (delivered is not null)
                {
                    // The initial state comes from a complete list: nothing to coalesce, send it at once.
                    await Task.Delay(_debounce, ct).ConfigureAwait(false);
                }
                delivered = await DeliverLatestAsync(delivered, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task<DeploymentState?> DeliverLatestAsync(DeploymentState? delivered, CancellationToken ct)
    {
        _backoff.Reset();
        while (true)
        {
            _signal.Reader.TryRead(out _); // we act on the latest state now; older signals are moot
            var target = Volatile.Read(ref _desired);
            if (target is null || target.Equals(delivered))
            {
                return delivered;
            }

            if (await _send(target, ct).ConfigureAwait(false))
            {
                delivered = target;
                _backoff.Reset();
                continue; // the state may have moved on while we were sending
            }

            var delay = _backoff.Next();
            _log.Debug($"notify: retrying in {delay.TotalSeconds:0.0} s");
            if (await WaitForDelayOrNewStateAsync(delay, ct).ConfigureAwait(false))
            {
                await Task.Delay(_debounce, ct).ConfigureAwait(false);
            }
        }
    }

    /// <returns>True when a newer state arrived before the delay passed.</returns>
    private async Task<bool> WaitForDelayOrNewStateAsync(TimeSpan delay, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delayTask = Task.Delay(delay, cts.Token);
        var signalTask = _signal.Reader.WaitToReadAsync(cts.Token).AsTask();
        var first = await Task.WhenAny(delayTask, signalTask).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return first == signalTask;
    }
}
