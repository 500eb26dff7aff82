using Controllers.Kube;
using Microsoft.Extensions.Logging;

namespace Canary.Hosting;

/// <summary>The controller's settings, from the command line (see <see cref="CommandLine"/>).</summary>
public sealed record ControllerOptions
{
    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    /// <summary>Watch CanaryApps in this namespace only (null: all namespaces).</summary>
    public string? WatchNamespace { get; init; }

    public string BindAddress { get; init; } = "0.0.0.0";

    public int HealthPort { get; init; } = 8080;

    public int Workers { get; init; } = 2;

    public TimeSpan Resync { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PrometheusTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool LeaderElect { get; init; } = true;

    public string LeaderElectionNamespace { get; init; } = "default";

    public string LeaderElectionId { get; init; } = "canary-controller";

    public string Identity { get; init; } = Environment.MachineName;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public LogFormat LogFormat { get; init; } = LogFormat.Auto;

    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
