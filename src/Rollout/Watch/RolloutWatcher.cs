using System.Globalization;
using System.Text.RegularExpressions;
using Controllers.Kube;
using Injector.Core.Configuration;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Rollout.Drift;
using Rollout.Execution;
using Rollout.Kube;
using Rollout.Planning;
using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>
/// The continuous mode, wired on Controllers.Kube: informers on the injector's ConfigMap, on injected pods and on
/// ReplicaSets feed a work queue of one key; each pass selects the outdated workloads with the same code as the
/// one-shot run, follows the restarts in flight through their pods, and starts at most what
/// <see cref="WatchScheduler"/> allows. A restart is a dry-run patch first (it returns the workload: a paused one,
/// an OnDelete or partitioned one, or one annotated <c>sidecars.dev/auto-rollout: "false"</c> is skipped), then the
/// patch, then an Event on the workload. With a Lease only the holder runs any of it. The RBAC it needs is list and
/// watch of pods, ReplicaSets and the one ConfigMap, patch of the three workload kinds, create of Events and the
/// Lease: it never reads a workload, it learns about them from the patch's answer and from their pods.
/// </summary>
public sealed partial class RolloutWatcher
{
    public const string Controller = "sidecars.dev/sidecar-rollout";
    public const string EventReason = "SidecarRollout";
    public const string FailedEventReason = "SidecarRolloutFailed";
    private const string ClusterKey = "cluster";
    private const int MaxVerdicts = 50_000;

    private static readonly TimeSpan MinPass = TimeSpan.FromSeconds(1); // under pod churn: at most one pass (O(pods)) a second
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    private readonly IKubernetes _client;
    private readonly WatchOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly WatchMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly string _identity;
    private readonly LeaderElection? _election;
    private readonly IWorkloadApi _api;
    private readonly WatchPace _pace;
    private volatile bool _synced;
    private int _restarts;
    private int _passes;

    public RolloutWatcher(IKubernetes client, WatchOptions options, ILoggerFactory loggers, WatchMetrics metrics, string identity, string? leaseNamespace, TimeProvider? time = null,
        LeaderElectionOptions? election = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _client = client;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<RolloutWatcher>();
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _identity = identity;
        _api = new KubeWorkloadApi(client);
        _pace = new WatchPace(options.Interval, options.Cooldown, options.Settle, options.Timeout, options.Parallel);
        if (leaseNamespace is not null)
        {
            _election = new LeaderElection(client, election ?? new LeaderElectionOptions
            {
                LeaseNamespace = leaseNamespace,
                LeaseName = options.LeaseName,
                Identity = identity,
            }, loggers.CreateLogger<LeaderElection>());
        }

        Health.AddReadiness("informers", () => _election is { IsLeader: false } || _synced);
    }

    public ControllerHealth Health { get; } = new();

    /// <summary>True while this replica acts (always, without a Lease).</summary>
    public bool IsLeader => _election?.IsLeader ?? true;

    /// <summary>Restarts sent by this replica.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Passes run by this replica.</summary>
    public int Passes => Volatile.Read(ref _passes);

    public Task RunAsync(CancellationToken cancellationToken) =>
        _election is null ? LeadAsync(cancellationToken) : _election.RunAsync(LeadAsync, cancellationToken);

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        _metrics.Leader(true);
        var recorder = new EventRecorder(_client, Controller, _identity, _loggers.CreateLogger<EventRecorder>(), _time);
        using var queue = new WorkQueue<ObjectKey>(_time);
        var key = new ObjectKey(null, ClusterKey);
        var informerOptions = new InformerOptions { PageSize = _options.ChunkSize };
        var configMap = new Informer<V1ConfigMap>(KubeListWatch.ConfigMap(_client, _options.InjectorNamespace, _options.InjectorConfigMap),
            informerOptions, _loggers.CreateLogger("Informer.ConfigMap"), _time);
        var injected = $"{AnnotationKeys.InjectedLabel}=true";
        var podSelector = string.IsNullOrEmpty(_options.LabelSelector) ? injected : $"{injected},{_options.LabelSelector}";
        IReadOnlyList<string?> scopes = _options.Filters.IncludeNamespaces.Count == 0 ? [null] : [.. _options.Filters.IncludeNamespaces.Order(StringComparer.Ordinal)];
        var pods = scopes.Select(ns => new Informer<V1Pod>(KubeListWatch.Pods(_client, ns, podSelector), informerOptions, _loggers.CreateLogger("Informer.Pod"), _time)).ToList();
        var replicaSets = scopes.Select(ns => new Informer<V1ReplicaSet>(KubeListWatch.ReplicaSets(_client, ns), informerOptions with { ResyncPeriod = TimeSpan.Zero }, _loggers.CreateLogger("Informer.ReplicaSet"), _time)).ToList();
        configMap.Changed += (_, _) => queue.Add(key);
        foreach (var informer in pods)
        {
            informer.Changed += (_, _) => queue.Add(key);
        }

        var pass = new Pass(this, recorder, configMap, pods, replicaSets);
        var running = Task.WhenAll([configMap.RunAsync(cancellationToken), .. pods.Select(p => p.RunAsync(cancellationToken)), .. replicaSets.Select(r => r.RunAsync(cancellationToken))]);
        try
        {
            await Task.WhenAll([configMap.WaitForSyncAsync(cancellationToken), .. pods.Select(p => p.WaitForSyncAsync(cancellationToken)), .. replicaSets.Select(r => r.WaitForSyncAsync(cancellationToken))]).ConfigureAwait(false);
            _synced = true;
            queue.Add(key);
            var loop = new ReconcileLoop("sidecar-rollout", queue, (_, ct) => pass.RunAsync(ct), _logger);
            await loop.RunAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _synced = false;
            _metrics.Leader(false);
            queue.ShutDown();
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [GeneratedRegex(@"^sidecar-rollout watch, config ([0-9a-f]{6,64}): ")]
    private static partial Regex WatchReason();

    /// <summary>One leadership term's state and the pass that uses it.</summary>
    private sealed class Pass(RolloutWatcher owner, EventRecorder recorder, Informer<V1ConfigMap> configMap, List<Informer<V1Pod>> pods, List<Informer<V1ReplicaSet>> replicaSets)
    {
        private readonly WatchState _state = new();
        private string? _configText;
        private InjectorConfig? _config;
        private DriftMatcher? _matcher;
        private DateTimeOffset _lastPass = DateTimeOffset.MinValue;

        public async Task<TimeSpan?> RunAsync(CancellationToken cancellationToken)
        {
            var time = owner._time;
            var now = time.GetUtcNow();
            if (now - _lastPass < MinPass)
            {
                return MinPass - (now - _lastPass); // a burst of pod events makes one pass, not one each
            }

            _lastPass = now;
            Interlocked.Increment(ref owner._passes);
            LoadConfig(now);
            if (_config is null || _matcher is null)
            {
                WatchLog.Pass(owner._logger, 0, 0, "no usable injector config");
                return null; // the ConfigMap informer wakes us
            }

            var allPods = pods.SelectMany(p => p.Items).ToList();
            var owners = new OwnerResolver(replicaSets.SelectMany(r => r.Items));
            var selection = WorkloadSelector.Select(allPods, owners, _matcher, owner._options.Filters);
            owner._metrics.Outdated(selection.Workloads);
            var podsByWorkload = allPods
                .Select(p => (Pod: p, Workload: owners.Resolve(p).Workload))
                .Where(x => x.Workload is not null)
                .GroupBy(x => x.Workload!)
                .ToDictionary(g => g.Key, g => g.Select(x => x.Pod).ToList());
            LearnRestarts(podsByWorkload);
            await FollowInFlightAsync(podsByWorkload, selection.Workloads.Select(w => w.Workload).ToHashSet(), now, cancellationToken).ConfigureAwait(false);

            WatchDecision decision;
            while (true)
            {
                decision = WatchScheduler.Next(_state, selection.Workloads, owner._pace, time.GetUtcNow());
                if (decision is not WatchDecision.Start start)
                {
                    break;
                }

                await RestartAsync(start.Selected, podsByWorkload.GetValueOrDefault(start.Selected.Workload) ?? [], cancellationToken).ConfigureAwait(false);
            }

            owner._metrics.InFlight(_state.InFlight.Count);
            owner._metrics.Skipped(SkipCounts(selection));
            var wait = (WatchDecision.Wait)decision;
            WatchLog.Pass(owner._logger, selection.Workloads.Count, _state.InFlight.Count, wait.Why);
            var wake = wait.Until;
            foreach (var inFlight in _state.InFlight.Values)
            {
                wake = wake is { } w && w < inFlight.Deadline ? w : inFlight.Deadline;
            }

            var after = wake is { } until ? until - time.GetUtcNow() : MaxIdle;
            return after < MinPass ? MinPass : after > MaxIdle ? MaxIdle : after;
        }

        private void LoadConfig(DateTimeOffset now)
        {
            var name = $"{owner._options.InjectorNamespace}/{owner._options.InjectorConfigMap}";
            var current = configMap.Items.FirstOrDefault();
            if (current is null)
            {
                if (_configText is not null)
                {
                    WatchLog.ConfigDeleted(owner._logger, name, _config?.Revision);
                    _configText = null;
                }

                return;
            }

            var text = current.Data?.TryGetValue(InjectorConfigSource.ConfigKey, out var t) == true ? t : null;
            if (text == _configText)
            {
                return;
            }

            _configText = text;
            try
            {
                var config = InjectorConfigSource.FromConfigMap(current);
                if (config.Revision != _config?.Revision)
                {
                    _config = config;
                    _matcher = new DriftMatcher(new DriftDetector(config));
                    owner._metrics.Revision(config.Revision);
                    WatchLog.ConfigLoaded(owner._logger, config.Revision, name);
                }

                _state.UseRevision(config.Revision, now);
            }
            catch (InjectorConfigException ex)
            {
                WatchLog.ConfigRejected(owner._logger, name, _config?.Revision, ex.Message);
            }

            if (_matcher is { Judged: > MaxVerdicts } && _config is not null)
            {
                _matcher = new DriftMatcher(new DriftDetector(_config)); // pods come and go: keep the verdict cache bounded
            }
        }

        /// <summary>Restarts recorded on pods (the template annotations the restart patch sets) count toward the cooldown.</summary>
        private void LearnRestarts(Dictionary<WorkloadRef, List<V1Pod>> podsByWorkload)
        {
            var timestampKey = RestartPatch.TimestampKey(owner._options.AnnotationPrefix);
            var reasonKey = RestartPatch.ReasonKey(owner._options.AnnotationPrefix);
            foreach (var (workload, workloadPods) in podsByWorkload)
            {
                foreach (var pod in workloadPods)
                {
                    if (pod.Metadata?.Annotations is { } annotations && annotations.TryGetValue(timestampKey, out var stamp) &&
                        DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    {
                        var revision = annotations.TryGetValue(reasonKey, out var reason) && WatchReason().Match(reason) is { Success: true } m ? m.Groups[1].Value : null;
                        _state.Seen(workload, at, revision);
                    }
                }
            }
        }

        private async Task FollowInFlightAsync(Dictionary<WorkloadRef, List<V1Pod>> podsByWorkload, HashSet<WorkloadRef> outdated, DateTimeOffset now, CancellationToken cancellationToken)
        {
            foreach (var restart in _state.InFlight.Values.ToList())
            {
                var state = RolloutSettle.Check(restart, podsByWorkload.GetValueOrDefault(restart.Workload) ?? [], now);
                if (state == RolloutSettle.State.Waiting)
                {
                    continue;
                }

                _state.InFlight.Remove(restart.Workload);
                var revision = _state.LastRestart.GetValueOrDefault(restart.Workload)?.Revision;
                if (state == RolloutSettle.State.Settled)
                {
                    _state.LastRestart[restart.Workload] = new RestartRecord(restart.PatchedAt, revision, RestartOutcome.Settled);
                    WatchLog.Settled(owner._logger, restart.Workload.ToString(), podsByWorkload[restart.Workload].Count);
                    if (outdated.Contains(restart.Workload) && revision is not null)
                    {
                        WatchLog.StillOutdated(owner._logger, restart.Workload.ToString(), revision);
                    }
                }
                else
                {
                    _state.LastRestart[restart.Workload] = new RestartRecord(restart.PatchedAt, revision, RestartOutcome.TimedOut);
                    owner._metrics.Failed(restart.Workload, "timed_out");
                    WatchLog.TimedOut(owner._logger, restart.Workload.ToString(), owner._options.Timeout);
                    await recorder.RecordAsync(Reference(restart.Workload, null), "Warning", FailedEventReason, "Restart",
                        $"sidecar-rollout: the restart did not settle within {Durations.Format(owner._options.Timeout)} (it may still complete)", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task RestartAsync(SelectedWorkload selected, List<V1Pod> currentPods, CancellationToken cancellationToken)
        {
            var workload = selected.Workload;
            var now = owner._time.GetUtcNow();
            var revision = _config!.Revision;
            var reason = $"sidecar-rollout watch, config {revision}: {selected.Because}";
            var body = RestartPatch.Body(owner._options.AnnotationPrefix, now, reason);
            WorkloadState answer;
            try
            {
                // The dry run returns the workload as it is (plus the change): what planning needs, with only patch rights.
                var preview = await WorkloadRollout.PatchWithRetriesAsync(owner._api, workload, body, dryRun: true, attempts: 3, owner._time, cancellationToken).ConfigureAwait(false);
                var plan = RestartPlanner.Plan([selected], new Dictionary<WorkloadRef, WorkloadState> { [workload] = preview }, [], honourAutoRolloutOptOut: true)[0];
                if (!plan.Restart)
                {
                    _state.Skipped[workload] = (plan.SkipReason!, now + owner._pace.Cooldown);
                    WatchLog.Skipped(owner._logger, workload.ToString(), plan.SkipReason!);
                    return;
                }

                answer = await WorkloadRollout.PatchWithRetriesAsync(owner._api, workload, body, dryRun: false, attempts: 3, owner._time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var status = KubeErrors.StatusOf(ex);
                if (status == System.Net.HttpStatusCode.NotFound)
                {
                    _state.Skipped[workload] = ("deleted", now + owner._pace.Cooldown);
                    return;
                }

                _state.LastRestart[workload] = new RestartRecord(now, revision, RestartOutcome.Failed);
                var message = KubeErrors.Describe(ex);
                owner._metrics.Failed(workload, status is { } code ? "http_" + ((int)code).ToString(CultureInfo.InvariantCulture) : "unreachable");
                WatchLog.RestartFailed(owner._logger, workload.ToString(), message);
                await recorder.RecordAsync(Reference(workload, null), "Warning", FailedEventReason, "Restart", $"sidecar-rollout could not restart it: {message}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var desired = answer.Deployment?.Spec?.Replicas ?? answer.StatefulSet?.Spec?.Replicas ?? answer.DaemonSet?.Status?.DesiredNumberScheduled ?? 1;
            _state.InFlight[workload] = new InFlightRestart(workload, now, desired, now + owner._pace.Timeout, selected.Because)
            {
                OldPods = currentPods.Select(p => p.Metadata?.Uid).OfType<string>().ToHashSet(StringComparer.Ordinal),
            };
            _state.LastRestart[workload] = new RestartRecord(now, revision, RestartOutcome.InFlight);
            _state.LastStart = now;
            Interlocked.Increment(ref owner._restarts);
            owner._metrics.Restarted(workload);
            WatchLog.Restarting(owner._logger, workload.ToString(), selected.Because);
            await recorder.RecordAsync(Reference(workload, answer.Metadata.Uid), "Normal", EventReason, "Restart",
                $"restarted by sidecar-rollout: {selected.Because}", cancellationToken).ConfigureAwait(false);
        }

        private Dictionary<string, int> SkipCounts(SelectionResult selection)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (_, skip) in _state.Skipped)
            {
                var reason = skip.Reason.StartsWith("annotated", StringComparison.Ordinal) ? "opted_out"
                    : skip.Reason.StartsWith("paused", StringComparison.Ordinal) ? "paused"
                    : skip.Reason.StartsWith("updateStrategy", StringComparison.Ordinal) ? "on_delete"
                    : skip.Reason.StartsWith("rollingUpdate.partition", StringComparison.Ordinal) ? "partitioned"
                    : "other";
                counts[reason] = counts.GetValueOrDefault(reason) + 1;
            }

            counts["injector_would_deny"] = selection.Skipped.Count(s => s.Reason.StartsWith("the injector would now deny", StringComparison.Ordinal));
            return counts;
        }

        private static V1ObjectReference Reference(WorkloadRef workload, string? uid) => new()
        {
            ApiVersion = "apps/v1",
            Kind = workload.Kind.ToString(),
            NamespaceProperty = workload.Namespace,
            Name = workload.Name,
            Uid = uid,
        };
    }
}
