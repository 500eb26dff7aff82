using Canary.Analysis;
using Canary.Api;
using Canary.Kube;
using Canary.Reconciling;
using Canary.Traffic;
using Controllers.Kube;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Canary.Hosting;

/// <summary>
/// The controller's moving parts, wired: informers on CanaryApps and on the Deployments they own (label
/// <c>canary.sidecars.dev/app</c>) feed a work queue; workers run <see cref="CanaryReconcile"/> per key and requeue it
/// when the reconcile asks; with leader election all of it runs only while this replica holds the Lease.
/// </summary>
public sealed class CanaryController
{
    private readonly IKubernetes _client;
    private readonly ControllerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly CanaryReconcile _reconcile;
    private readonly LeaderElection? _election;
    private volatile bool _synced;
    private int _reconciles;

    public CanaryController(IKubernetes client, ControllerOptions options, ILoggerFactory loggers, CanaryMetrics metrics, TimeProvider? time = null, HttpMessageHandler? prometheusHandler = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _client = client;
        _options = options;
        _loggers = loggers;
        _time = time ?? TimeProvider.System;
        var http = prometheusHandler is null ? new HttpClient() : new HttpClient(prometheusHandler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan; // PrometheusClient applies its own, per query
        var prometheus = new PrometheusClient(http, _time) { Timeout = options.PrometheusTimeout };
        var recorder = new EventRecorder(client, $"{CanaryApp.Group}/{CanaryAnnotations.Manager}", options.Identity, loggers.CreateLogger<EventRecorder>(), _time);
        _reconcile = new CanaryReconcile(
            new KubeCanaryWorld(client, new KubeTrafficProvider(client)),
            new PrometheusAnalysisRunner(client, prometheus),
            new KubeEventSink(recorder),
            metrics,
            _time);
        if (options.LeaderElect)
        {
            _election = new LeaderElection(client, new LeaderElectionOptions
            {
                LeaseNamespace = options.LeaderElectionNamespace,
                LeaseName = options.LeaderElectionId,
                Identity = options.Identity,
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
            }, loggers.CreateLogger<LeaderElection>());
        }

        Health.AddReadiness("informers", () => _election is { IsLeader: false } || _synced);
    }

    public ControllerHealth Health { get; } = new();

    /// <summary>True while this replica reconciles (always, without leader election).</summary>
    public bool IsLeader => _election?.IsLeader ?? true;

    /// <summary>Reconciles run by this replica (for tests and logs).</summary>
    public int Reconciles => Volatile.Read(ref _reconciles);

    public Task RunAsync(CancellationToken cancellationToken) =>
        _election is null ? LeadAsync(cancellationToken) : _election.RunAsync(LeadAsync, cancellationToken);

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var logger = _loggers.CreateLogger<CanaryController>();
        using var queue = new WorkQueue<ObjectKey>(_time);
        var informerOptions = new InformerOptions { ResyncPeriod = _options.Resync };
        var apps = new Informer<CanaryApp>(
            KubeListWatch.Custom<CanaryApp, CanaryAppList>(_client, CanaryApp.Group, CanaryApp.Version, CanaryApp.Plural, _options.WatchNamespace),
            informerOptions, _loggers.CreateLogger("Informer.CanaryApp"), _time);
        var deployments = new Informer<V1Deployment>(
            KubeListWatch.Deployments(_client, _options.WatchNamespace, CanaryAnnotations.AppLabel),
            informerOptions with { ResyncPeriod = TimeSpan.Zero }, _loggers.CreateLogger("Informer.Deployment"), _time);
        apps.Changed += (_, app) => queue.Add(ObjectKey.Of(app));
        deployments.Changed += (_, d) =>
        {
            if (d.Metadata.Labels?.TryGetValue(CanaryAnnotations.AppLabel, out var app) == true)
            {
                queue.Add(new ObjectKey(d.Metadata.NamespaceProperty, app));
            }
        };

        var informers = Task.WhenAll(apps.RunAsync(cancellationToken), deployments.RunAsync(cancellationToken));
        try
        {
            await Task.WhenAll(apps.WaitForSyncAsync(cancellationToken), deployments.WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);
            _synced = true;
            var loop = new ReconcileLoop("canary", queue, async (key, ct) =>
            {
                Interlocked.Increment(ref _reconciles);
                return await _reconcile.ReconcileAsync(key.Namespace ?? "", key.Name, ct).ConfigureAwait(false);
            }, logger);
            await loop.RunAsync(_options.Workers, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _synced = false;
            queue.ShutDown();
            try
            {
                await informers.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
