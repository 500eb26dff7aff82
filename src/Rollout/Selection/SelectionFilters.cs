namespace Rollout.Selection;

/// <summary>The client-side filters of a run (the label selector and included namespaces go to the server).</summary>
public sealed record SelectionFilters
{
    /// <summary>Only these namespaces (empty: all).</summary>
    public IReadOnlySet<string> IncludeNamespaces { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> ExcludeNamespaces { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool IncludeDeployments { get; init; } = true;

    public bool IncludeStatefulSets { get; init; }

    public bool IncludeDaemonSets { get; init; }

    /// <summary>Only pods started before this instant (pods not started yet count from their creation).</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    public bool InScope(string ns) =>
        (IncludeNamespaces.Count == 0 || IncludeNamespaces.Contains(ns)) && !ExcludeNamespaces.Contains(ns);

    /// <summary>Null when the kind is included, else why not and how to include it.</summary>
    public string? KindExcluded(WorkloadKind kind) => kind switch
    {
        WorkloadKind.Deployment when !IncludeDeployments => "Deployments are excluded (--exclude-deployments)",
        WorkloadKind.StatefulSet when !IncludeStatefulSets => "StatefulSets are not included (add --include-statefulset)",
        WorkloadKind.DaemonSet when !IncludeDaemonSets => "DaemonSets are not included (add --include-daemonset)",
        _ => null,
    };
}
