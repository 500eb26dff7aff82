using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Injector.Metrics;

/// <summary>
/// Prometheus metrics in the text exposition format. Hand-rolled: a handful of counters and one histogram do not
/// need a client library, and this keeps the hot path at an Interlocked increment.
/// </summary>
internal sealed class InjectorMetrics
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly ConcurrentDictionary<string, Counter> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _injections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _skips = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _denials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _tlsReloads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _configReloads = new(StringComparer.Ordinal);
    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private long _durationCount;
    private long _durationSumTicks;
    private volatile string _revision = string.Empty;
    private long _certNotAfterUnix;

    /// <summary>result: injected, unchanged, skipped, denied, bad_request.</summary>
    public void Request(string result) => Get(_requests, result).Increment();

    public void Injection(string sidecar) => Get(_injections, sidecar).Increment();

    public void Skip(string reason) => Get(_skips, reason).Increment();

    public void Denial(string reason) => Get(_denials, reason).Increment();

    public void TlsReloads(string result) => Get(_tlsReloads, result).Increment();

    public void ConfigReloads(string result) => Get(_configReloads, result).Increment();

    public void SetConfigRevision(string revision) => _revision = revision;

    public void SetCertificateExpiry(DateTime notAfter) =>
        Interlocked.Exchange(ref _certNotAfterUnix, new DateTimeOffset(notAfter.ToUniversalTime()).ToUnixTimeSeconds());

    public void ObserveDuration(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        for (int i = 0; i < Buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
            {
                Interlocked.Increment(ref _bucketCounts[i]);
                break;
            }
        }

        Interlocked.Increment(ref _durationCount);
        Interlocked.Add(ref _durationSumTicks, elapsed.Ticks);
    }

    public string Render()
    {
        var sb = new StringBuilder(2048);
        Family(sb, "injector_admission_requests_total", "AdmissionReview requests by result.", "counter", "result", _requests);
        Family(sb, "injector_injections_total", "Sidecars injected, by sidecar.", "counter", "sidecar", _injections);
        Family(sb, "injector_skips_total", "Reviews admitted without injection, by reason.", "counter", "reason", _skips);
        Family(sb, "injector_denials_total", "Pods denied, by reason.", "counter", "reason", _denials);
        Family(sb, "injector_tls_reloads_total", "Serving certificate loads, by result.", "counter", "result", _tlsReloads);
        Family(sb, "injector_config_reloads_total", "Config file loads, by result.", "counter", "result", _configReloads);

        sb.Append("# HELP injector_admission_duration_seconds Time to handle one AdmissionReview.\n");
        sb.Append("# TYPE injector_admission_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            sb.Append(CultureInfo.InvariantCulture, $"injector_admission_duration_seconds_bucket{{le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
        }

        var count = Interlocked.Read(ref _durationCount);
        sb.Append(CultureInfo.InvariantCulture, $"injector_admission_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n");
        sb.Append(CultureInfo.InvariantCulture, $"injector_admission_duration_seconds_sum {TimeSpan.FromTicks(Interlocked.Read(ref _durationSumTicks)).TotalSeconds.ToString("R", CultureInfo.InvariantCulture)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"injector_admission_duration_seconds_count {count}\n");

        sb.Append("# HELP injector_config_info The config revision in force (written into sidecars.dev/status).\n");
        sb.Append("# TYPE injector_config_info gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"injector_config_info{{revision=\"{_revision}\"}} 1\n");
        sb.Append("# HELP injector_tls_certificate_expiry_seconds Unix time the serving certificate expires.\n");
        sb.Append("# TYPE injector_tls_certificate_expiry_seconds gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"injector_tls_certificate_expiry_seconds {Interlocked.Read(ref _certNotAfterUnix)}\n");
        return sb.ToString();
    }

    private static void Family(StringBuilder sb, string name, string help, string type, string label, ConcurrentDictionary<string, Counter> values)
    {
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (value, counter) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{name}{{{label}=\"{Escape(value)}\"}} {counter.Value}\n");
        }
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static Counter Get(ConcurrentDictionary<string, Counter> map, string key) => map.GetOrAdd(key, static _ => new Counter());

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
