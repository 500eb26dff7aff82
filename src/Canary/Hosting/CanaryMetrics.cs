using System.Diagnostics.Metrics;
using Canary.Analysis;
using Canary.Api;
using Canary.Reconciling;

namespace Canary.Hosting;

/// <summary>
/// The controller's metrics, recorded with System.Diagnostics.Metrics (the Prometheus exporter turns
/// <c>canary_promotions</c> into <c>canary_promotions_total</c>). Per CanaryApp (labels <c>namespace</c>, <c>name</c>):
/// <c>canary_weight</c>, <c>canary_phase</c> (1 for the current phase, 0 for the others),
/// <c>canary_analysis_value</c> (the last numeric check value), <c>canary_analysis_checks_total</c> (by verdict),
/// <c>canary_promotions_total</c> and <c>canary_rollbacks_total</c>.
/// </summary>
public sealed class CanaryMetrics : IDisposable
{
    public const string MeterName = "Canary.Controller";

    private static readonly string[] Phases =
        [CanaryPhase.Initializing, CanaryPhase.Progressing, CanaryPhase.Promoting, CanaryPhase.Succeeded, CanaryPhase.Failed];

    private readonly Meter _meter;
    private readonly Gauge<int> _weight;
    private readonly Gauge<int> _phase;
    private readonly Gauge<double> _value;
    private readonly Counter<long> _checks;
    private readonly Counter<long> _promotions;
    private readonly Counter<long> _rollbacks;

    public CanaryMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _weight = _meter.CreateGauge<int>("canary_weight", description: "The canary's share of the traffic, in percent.");
        _phase = _meter.CreateGauge<int>("canary_phase", description: "1 for the CanaryApp's current phase, 0 for the others.");
        _value = _meter.CreateGauge<double>("canary_analysis_value", description: "The value of the last check (threshold-range queries).");
        _checks = _meter.CreateCounter<long>("canary_analysis_checks", description: "Checks run, by verdict (Pass, Fail, NoData, Error).");
        _promotions = _meter.CreateCounter<long>("canary_promotions", description: "Revisions promoted to the primary.");
        _rollbacks = _meter.CreateCounter<long>("canary_rollbacks", description: "Revisions rolled back, by reason.");
    }

    public void Record(CanaryApp app, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(decision);
        var ns = KeyValuePair.Create<string, object?>("namespace", app.Metadata.NamespaceProperty);
        var name = KeyValuePair.Create<string, object?>("name", app.Metadata.Name);
        _weight.Record(decision.Status.CanaryWeight, ns, name);
        foreach (var phase in Phases)
        {
            _phase.Record(decision.Status.Phase == phase ? 1 : 0, ns, name, KeyValuePair.Create<string, object?>("phase", phase));
        }

        if (decision.Analysis is { } analysis)
        {
            _checks.Add(1, ns, name, KeyValuePair.Create<string, object?>("verdict", analysis.Verdict.ToString()));
            if (analysis.Value is { } raw && PrometheusResponse.TryParseValue(raw, out var v) && !double.IsNaN(v))
            {
                _value.Record(v, ns, name);
            }
        }

        switch (decision.Outcome)
        {
            case Outcome.Promoted:
                _promotions.Add(1, ns, name);
                break;
            case Outcome.RolledBack:
                var reason = decision.Status.FailedImages?.LastOrDefault()?.Reason ?? "";
                _rollbacks.Add(1, ns, name, KeyValuePair.Create<string, object?>("reason", reason));
                break;
        }
    }

    /// <summary>A deleted CanaryApp: its gauges stop being reported as soon as the exporter allows (weight 0).</summary>
    public void Forget(string @namespace, string name) =>
        _weight.Record(0, KeyValuePair.Create<string, object?>("namespace", @namespace), KeyValuePair.Create<string, object?>("name", name));

    public void Dispose() => _meter.Dispose();
}
