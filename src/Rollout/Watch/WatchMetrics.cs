using System.Diagnostics.Metrics;
using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>
/// The watch's metrics, recorded with System.Diagnostics.Metrics and exported by OpenTelemetry's Prometheus exporter
/// (counters get <c>_total</c>): <c>sidecar_rollout_outdated_workloads</c> (by <c>sidecar</c>),
/// <c>sidecar_rollout_restarts_total</c> and <c>sidecar_rollout_failures_total</c> (by <c>namespace</c>, <c>kind</c>,
/// and <c>reason</c> for failures), <c>sidecar_rollout_skipped_workloads</c> (by <c>reason</c>),
/// <c>sidecar_rollout_in_flight</c>, <c>sidecar_rollout_leader</c> and <c>sidecar_rollout_config_info</c> (by
/// <c>revision</c>, always 1).
/// </summary>
public sealed class WatchMetrics : IDisposable
{
    public const string MeterName = "Rollout.Watch";

    private readonly Meter _meter;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _failures;
    private readonly Lock _gate = new();
    private Dictionary<string, int> _outdated = [];
    private Dictionary<string, int> _skipped = [];
    private int _inFlight;
    private bool _leader;
    private string? _revision;

    public WatchMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _restarts = _meter.CreateCounter<long>("sidecar_rollout_restarts", description: "Workloads restarted because their sidecars were out of date.");
        _failures = _meter.CreateCounter<long>("sidecar_rollout_failures", description: "Restarts refused by the API server or not settled in time, by reason.");
        _meter.CreateObservableGauge("sidecar_rollout_outdated_workloads", () => Snapshot(_outdated, "sidecar"),
            description: "Workloads running an out-of-date sidecar, by sidecar.");
        _meter.CreateObservableGauge("sidecar_rollout_skipped_workloads", () => Snapshot(_skipped, "reason"),
            description: "Outdated workloads not restarted, by reason (opted out, paused, OnDelete, partitioned, the injector would deny their pods).");
        _meter.CreateObservableGauge("sidecar_rollout_in_flight", () => Volatile.Read(ref _inFlight), description: "Restarts whose pods are being replaced.");
        _meter.CreateObservableGauge("sidecar_rollout_leader", () => _leader ? 1 : 0, description: "1 while this replica holds the Lease and acts.");
        _meter.CreateObservableGauge("sidecar_rollout_config_info", ConfigInfo, description: "The injector config revision in force (always 1).");
    }

    /// <summary>Outdated workloads per sidecar, from one pass.</summary>
    public void Outdated(IEnumerable<SelectedWorkload> workloads)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sidecar in SidecarNames.All)
        {
            counts[sidecar] = 0;
        }

        foreach (var workload in workloads)
        {
            foreach (var sidecar in workload.Sidecars)
            {
                counts[sidecar] = counts.GetValueOrDefault(sidecar) + 1;
            }
        }

        lock (_gate)
        {
            _outdated = counts;
        }
    }

    public void Skipped(IReadOnlyDictionary<string, int> byReason)
    {
        lock (_gate)
        {
            _skipped = new Dictionary<string, int>(byReason, StringComparer.Ordinal);
        }
    }

    public void Restarted(WorkloadRef workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _restarts.Add(1, Tag("namespace", workload.Namespace), Tag("kind", workload.Kind.ToString()));
    }

    public void Failed(WorkloadRef workload, string reason)
    {
        ArgumentNullException.ThrowIfNull(workload);
        _failures.Add(1, Tag("namespace", workload.Namespace), Tag("kind", workload.Kind.ToString()), Tag("reason", reason));
    }

    public void InFlight(int count) => Volatile.Write(ref _inFlight, count);

    public void Leader(bool leading) => _leader = leading;

    public void Revision(string revision) => _revision = revision;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> Snapshot(Dictionary<string, int> values, string label)
    {
        Dictionary<string, int> copy;
        lock (_gate)
        {
            copy = values;
        }

        return copy.Select(kv => new Measurement<int>(kv.Value, Tag(label, kv.Key)));
    }

    private IEnumerable<Measurement<int>> ConfigInfo() =>
        _revision is { } revision ? [new Measurement<int>(1, Tag("revision", revision))] : [];

    private static KeyValuePair<string, object?> Tag(string key, string value) => KeyValuePair.Create<string, object?>(key, value);
}
