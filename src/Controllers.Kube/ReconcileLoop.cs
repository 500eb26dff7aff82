using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Controllers.Kube;

/// <summary>
/// Workers that take keys from a <see cref="WorkQueue{T}"/> and reconcile them: one reconcile per key at a time,
/// success forgets the key's backoff and requeues it after the time the reconcile asked for (if any), failure
/// requeues it with per-key exponential backoff. Records <c>controller_reconcile_total</c> (by result) and
/// <c>controller_reconcile_duration_seconds</c>.
/// </summary>
public sealed class ReconcileLoop
{
    public const string MeterName = "Controllers.Kube";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Reconciles = Meter.CreateCounter<long>("controller_reconcile", description: "Reconciles, by controller and result (success, error).");
    private static readonly Histogram<double> Durations = Meter.CreateHistogram<double>("controller_reconcile_duration", unit: "s", description: "Time per reconcile.");

    private readonly string _name;
    private readonly WorkQueue<ObjectKey> _queue;
    private readonly Func<ObjectKey, CancellationToken, Task<TimeSpan?>> _reconcile;
    private readonly ILogger _logger;

    public ReconcileLoop(string name, WorkQueue<ObjectKey> queue, Func<ObjectKey, CancellationToken, Task<TimeSpan?>> reconcile, ILogger logger)
    {
        _name = name;
        _queue = queue;
        _reconcile = reconcile;
        _logger = logger;
    }

    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                var (ok, item) = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
                if (!ok)
                {
                    return;
                }

                key = item;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var controller = KeyValuePair.Create<string, object?>("controller", _name);
            try
            {
                var requeue = await _reconcile(key, cancellationToken).ConfigureAwait(false);
                _queue.Forget(key);
                if (requeue is { } after)
                {
                    _queue.AddAfter(key, after);
                }

                Reconciles.Add(1, controller, KeyValuePair.Create<string, object?>("result", "success"));
                Log.Reconciled(_logger, key, Stopwatch.GetElapsedTime(started), requeue);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _queue.AddRateLimited(key);
                Reconciles.Add(1, controller, KeyValuePair.Create<string, object?>("result", "error"));
                // An API or network answer is an expected failure: one sentence. Anything else is a bug: the trace too.
                var expected = ex is k8s.Autorest.HttpOperationException or HttpRequestException or IOException or TimeoutException or OperationCanceledException;
                Log.ReconcileFailed(_logger, key, _queue.Failures(key), KubeErrors.Describe(ex), expected ? null : ex);
            }
            finally
            {
                Durations.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, controller);
                _queue.Done(key);
            }
        }
    }
}
