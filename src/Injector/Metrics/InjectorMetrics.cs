using System.Diagnostics.Metrics;

namespace Injector.Metrics;

/// <summary>
/// The injector's own instruments, on the <c>Injector</c> <see cref="Meter"/>; OpenTelemetry's Prometheus exporter
/// serves them on <c>/metrics</c> (a counter named <c>x</c> is exposed as <c>x_total</c>, a unit <c>s</c> adds
/// <c>_seconds</c>). Names and labels are listed in the README; process and runtime metrics come from
/// OpenTelemetry's instrumentation next to them. The meter comes from the host's <see cref="IMeterFactory"/>, so
/// two hosts in one process (tests) do not count each other's requests.
/// </summary>
internal sealed class InjectorMetrics
{
    public const string MeterName = "Injector";

    /// <summary>Bucket bounds of the admission latency histogram, in seconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private const int MaxRevisions = 64;
    private static readonly string[] RequestResults = ["injected", "unchanged", "skipped", "denied", "bad_request", "error", "aborted"];
    private static readonly string[] ConfigFailureReasons = ["unreadable", "empty", "invalid"];
    private static readonly string[] TlsFailureReasons = ["unreadable", "invalid", "expired", "not-yet-valid"];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _injections;
    private readonly Counter<long> _skips;
    private readonly Counter<long> _denials;
    private readonly Counter<long> _tlsReloads;
    private readonly Counter<long> _configReloads;
    private readonly Histogram<double> _duration;
    private readonly Lock _revisionsGate = new();
    private readonly List<string> _revisions = []; // the one in force last; earlier ones report 0

    private long _certNotAfterUnix;

    public InjectorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("injector_admission_requests", description:
            "AdmissionReview requests answered, by result: injected, unchanged, skipped, denied, bad_request, error (failed inside the injector; answered with a denial), aborted (client went away).");
        _injections = meter.CreateCounter<long>("injector_injections", description: "Sidecars injected, by sidecar.");
        _skips = meter.CreateCounter<long>("injector_skips", description: "Reviews admitted without injection, by reason.");
        _denials = meter.CreateCounter<long>("injector_denials", description: "Pods denied, by reason.");
        _tlsReloads = meter.CreateCounter<long>("injector_tls_reloads", description:
            "Serving certificate loads, by result (ok, error) and, for errors, reason (unreadable, invalid, expired, not-yet-valid).");
        _configReloads = meter.CreateCounter<long>("injector_config_reloads", description:
            "Config file loads, by result (ok, error) and, for errors, reason (unreadable, empty, invalid).");
        _duration = meter.CreateHistogram("injector_admission_duration", unit: "s",
            description: "Time to read, handle and answer one AdmissionReview.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        // Every known series starts at 0, so rate() and increase() see the first event (Prometheus practice).
        foreach (var result in RequestResults)
        {
            Request(result, 0);
        }

        foreach (var reason in ConfigFailureReasons)
        {
            _configReloads.Add(0, new("result", "error"), new("reason", reason));
        }

        foreach (var reason in TlsFailureReasons)
        {
            _tlsReloads.Add(0, new("result", "error"), new("reason", reason));
        }

        meter.CreateObservableGauge("injector_config_info", ObserveRevisions,
            description: "1 for the config revision in force (written into sidecars.dev/status), 0 for revisions used before it.");
        meter.CreateObservableGauge("injector_tls_certificate_expiry", () => Interlocked.Read(ref _certNotAfterUnix), unit: "s",
            description: "Unix time the serving certificate in use expires.");
    }

    public void Request(string result) => Request(result, 1);

    private void Request(string result, int count) => _requests.Add(count, new KeyValuePair<string, object?>("result", result));

    public void Injection(string sidecar) => _injections.Add(1, new KeyValuePair<string, object?>("sidecar", sidecar));

    public void Skip(string reason) => _skips.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Denial(string reason) => _denials.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void TlsReload(string result, string? reason = null) => Reload(_tlsReloads, result, reason);

    public void ConfigReload(string result, string? reason = null) => Reload(_configReloads, result, reason);

    public void SetConfigRevision(string revision)
    {
        lock (_revisionsGate)
        {
            _revisions.Remove(revision);
            _revisions.Add(revision);
            if (_revisions.Count > MaxRevisions)
            {
                _revisions.RemoveAt(0);
            }
        }
    }

    public void SetCertificateExpiry(DateTime notAfter) =>
        Interlocked.Exchange(ref _certNotAfterUnix, new DateTimeOffset(notAfter.ToUniversalTime()).ToUnixTimeSeconds());

    public void ObserveDuration(TimeSpan elapsed) => _duration.Record(elapsed.TotalSeconds);

    private static void Reload(Counter<long> counter, string result, string? reason)
    {
        if (reason is null)
        {
            counter.Add(1, new KeyValuePair<string, object?>("result", result));
        }
        else
        {
            counter.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>
    /// 1 for the revision in force and 0 for the ones before it: the exporter keeps every series it has seen, so
    /// an earlier revision must be reported as 0 rather than left at 1.
    /// </summary>
    private IEnumerable<Measurement<int>> ObserveRevisions()
    {
        lock (_revisionsGate)
        {
            return [.. _revisions.Select((revision, i) => new Measurement<int>(i == _revisions.Count - 1 ? 1 : 0, new KeyValuePair<string, object?>("revision", revision)))];
        }
    }
}
