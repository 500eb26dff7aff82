namespace Rollout.Kube;

/// <summary>What to list: the namespaces (none: one cluster-wide call per kind), kinds, and the pods' label selector.</summary>
public sealed record ListScope
{
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public string? PodLabelSelector { get; init; }

    public bool Deployments { get; init; } = true;

    public bool StatefulSets { get; init; }

    public bool DaemonSets { get; init; }

    /// <summary>Objects per page (kubectl's chunk size).</summary>
    public int PageSize { get; init; } = 500;
}
