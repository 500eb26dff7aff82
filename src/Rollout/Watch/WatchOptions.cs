using Rollout.Output;
using Rollout.Selection;

namespace Rollout.Watch;

/// <summary><c>sidecar-rollout watch</c>, as the command line asked for it (defaults in one place: here).</summary>
public sealed record WatchOptions
{
    public SelectionFilters Filters { get; init; } = new();

    public string? LabelSelector { get; init; }

    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    public string InjectorNamespace { get; init; } = Kube.InjectorConfigSource.DefaultNamespace;

    public string InjectorConfigMap { get; init; } = Kube.InjectorConfigSource.DefaultConfigMap;

    public string AnnotationPrefix { get; init; } = Planning.RestartPatch.DefaultPrefix;

    /// <summary>Least time between two restarts started (the pace).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Least time between two restarts of the same workload.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Wait after the config changes before the first restart: the injector's pods must load the new config (the
    /// kubelet refreshes a mounted ConfigMap within about a minute) or restarted pods get the old sidecars again.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one restart may take before the next in its namespace may start (it may still complete).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Restarts in flight at once overall (one per namespace at most).</summary>
    public int Parallel { get; init; } = 3;

    public int HealthPort { get; init; } = 8080;

    public string LeaseName { get; init; } = "sidecar-rollout";

    /// <summary>Null: the pod's namespace (POD_NAMESPACE), else the injector's.</summary>
    public string? LeaseNamespace { get; init; }

    /// <summary>Null: the pod's name (POD_NAME, else the host name) plus a random suffix.</summary>
    public string? Identity { get; init; }

    /// <summary>Objects per list page (kubectl's <c>--chunk-size</c>).</summary>
    public int ChunkSize { get; init; } = 500;

    public Verbosity LogLevel { get; init; } = Verbosity.Info;

    /// <summary>Null: JSON when stdout is not a terminal.</summary>
    public OutputFormat? LogFormat { get; init; }
}
