using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using Controllers.Kube;
using Microsoft.Extensions.Logging;

namespace Canary.Hosting;

/// <summary>
/// canary-controller's command line (System.CommandLine). Defaults live in <see cref="ControllerOptions"/>; the
/// leader-election namespace and identity default to the pod's (POD_NAMESPACE, POD_NAME from the downward API).
/// </summary>
public static class CommandLine
{
    public static Command Build(Func<ControllerOptions, CancellationToken, Task<int>> run, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(env);
        var defaults = new ControllerOptions();
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path of a kubeconfig file (default: in-cluster, then KUBECONFIG or ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use." };
        var ns = new Option<string?>("--namespace") { Description = "Watch CanaryApps in this namespace only (default: all namespaces)." };
        var bind = new Option<string>("--bind-address") { Description = "Address of the health and metrics server.", DefaultValueFactory = _ => defaults.BindAddress };
        var port = new Option<int>("--health-port") { Description = "Port of /healthz, /readyz and /metrics.", DefaultValueFactory = _ => defaults.HealthPort };
        var workers = new Option<int>("--workers") { Description = "CanaryApps reconciled at the same time.", DefaultValueFactory = _ => defaults.Workers };
        var resync = Duration("--resync", "How often every CanaryApp is reconciled even without a change.", defaults.Resync);
        var promTimeout = Duration("--prometheus-timeout", "Timeout of one Prometheus query.", defaults.PrometheusTimeout);
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run only while holding the Lease (for more than one replica).", DefaultValueFactory = _ => defaults.LeaderElect };
        var leNamespace = new Option<string>("--leader-election-namespace") { Description = "Namespace of the Lease (default: POD_NAMESPACE, else default).", DefaultValueFactory = _ => env("POD_NAMESPACE") is { Length: > 0 } p ? p : defaults.LeaderElectionNamespace };
        var leId = new Option<string>("--leader-election-id") { Description = "Name of the Lease.", DefaultValueFactory = _ => defaults.LeaderElectionId };
        var identity = new Option<string>("--identity") { Description = "This replica's identity in the Lease (default: POD_NAME, else the host name).", DefaultValueFactory = _ => env("POD_NAME") is { Length: > 0 } p ? p : defaults.Identity };
        var leaseDuration = Duration("--lease-duration", "How long a Lease is valid without renewal.", defaults.LeaseDuration);
        var renewDeadline = Duration("--renew-deadline", "How long the leader retries renewing before it gives up.", defaults.RenewDeadline);
        var retryPeriod = Duration("--retry-period", "Time between two Lease attempts.", defaults.RetryPeriod);
        var logFormat = new Option<LogFormat>("--log-format") { Description = "auto (JSON when not on a terminal), json or text.", DefaultValueFactory = _ => defaults.LogFormat };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error.", DefaultValueFactory = _ => defaults.LogLevel };

        // Not RootCommand: it names itself after argv[0], and in the image that is the shared /usr/local/bin/entrypoint link.
        var root = new Command("canary-controller", "canary-controller: progressive delivery of CanaryApps (canary.sidecars.dev/v1) with a Prometheus gate.")
        {
            new HelpOption(), new VersionOption(), kubeconfig, context, ns, bind, port, workers, resync, promTimeout, leaderElect, leNamespace, leId, identity,
            leaseDuration, renewDeadline, retryPeriod, logFormat, logLevel,
        };
        port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 65535) { r.AddError("--health-port must be between 1 and 65535."); } });
        workers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) { r.AddError("--workers must be between 1 and 64."); } });
        root.SetAction((parse, ct) => run(new ControllerOptions
        {
            Kubeconfig = parse.GetValue(kubeconfig),
            Context = parse.GetValue(context),
            WatchNamespace = parse.GetValue(ns) is { Length: > 0 } n ? n : null,
            BindAddress = parse.GetValue(bind)!,
            HealthPort = parse.GetValue(port),
            Workers = parse.GetValue(workers),
            Resync = parse.GetValue(resync),
            PrometheusTimeout = parse.GetValue(promTimeout),
            LeaderElect = parse.GetValue(leaderElect),
            LeaderElectionNamespace = parse.GetValue(leNamespace)!,
            LeaderElectionId = parse.GetValue(leId)!,
            Identity = parse.GetValue(identity)!,
            LeaseDuration = parse.GetValue(leaseDuration),
            RenewDeadline = parse.GetValue(renewDeadline),
            RetryPeriod = parse.GetValue(retryPeriod),
            LogFormat = parse.GetValue(logFormat),
            LogLevel = parse.GetValue(logLevel),
        }, ct));
        return root;
    }

    /// <summary>A duration option: Go-style <c>15s</c>, <c>2m</c>, <c>1h</c>, <c>500ms</c>, or plain seconds.</summary>
    private static Option<TimeSpan> Duration(string name, string description, TimeSpan fallback) => new(name)
    {
        Description = description + $" Default {Format(fallback)}.",
        DefaultValueFactory = _ => fallback,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
            {
                return fallback;
            }

            var text = r.Tokens[0].Value;
            if (TryParseDuration(text, out var value))
            {
                return value;
            }

            r.AddError($"{name}: \"{text}\" is not a duration such as 500ms, 15s, 2m or 1h (at most 24h).");
            return fallback;
        },
    };

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1)
            : text.EndsWith('m') ? (text[..^1], 60)
            : text.EndsWith('h') ? (text[..^1], 3600)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n <= 0)
        {
            return false;
        }

        var seconds = n * unit;
        if (seconds > 86400)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static string Format(TimeSpan t) => t.TotalSeconds >= 60 && t.TotalSeconds % 60 == 0 ? $"{t.TotalMinutes:0}m" : $"{t.TotalSeconds:0}s";
}
