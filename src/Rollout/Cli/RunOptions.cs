using Rollout.Execution;
using Rollout.Output;
using Rollout.Scheduling;
using Rollout.Selection;

namespace Rollout.Cli;

/// <summary>A one-shot run, as the command line asked for it (defaults in one place: here).</summary>
public sealed record RunOptions
{
    /// <summary>Select by container name instead of by drift (the original's rule), when not empty.</summary>
    public IReadOnlyList<string> SidecarContainerNames { get; init; } = [];

    public bool Confirm { get; init; }

    public DryRunMode DryRun { get; init; } = DryRunMode.None;

    public SchedulerOptions Scheduler { get; init; } = new();

    public RolloutSettings Rollout { get; init; } = new();

    public bool TimeoutIsFailure { get; init; }

    public SelectionFilters Filters { get; init; } = new();

    public string? LabelSelector { get; init; }

    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    public string InjectorNamespace { get; init; } = Kube.InjectorConfigSource.DefaultNamespace;

    public string InjectorConfigMap { get; init; } = Kube.InjectorConfigSource.DefaultConfigMap;

    public string? ConfigFile { get; init; }

    /// <summary>Objects per list page (kubectl's <c>--chunk-size</c>).</summary>
    public int ChunkSize { get; init; } = 500;

    public Verbosity LogLevel { get; init; } = Verbosity.Info;

    public OutputFormat LogFormat { get; init; } = OutputFormat.Text;

    /// <summary>True when nothing is restarted: no <c>--confirm</c>, or <c>--dry-run=client</c>.</summary>
    public bool ClientDryRun => DryRun == DryRunMode.Client || (DryRun == DryRunMode.None && !Confirm);

    public bool ByDrift => SidecarContainerNames.Count == 0;
}
