namespace Rollout.Selection;

/// <summary>A workload to restart, why (distinct reasons over its pods) and how many of its pods called for it.</summary>
public sealed record SelectedWorkload(WorkloadRef Workload, IReadOnlyList<string> Reasons, int MatchedPods)
{
    /// <summary>The out-of-date sidecars over its pods (drift selection).</summary>
    public IReadOnlyList<string> Sidecars { get; init; } = [];

    /// <summary>One line: the reasons joined, for the table and the restart annotation.</summary>
    public string Because => string.Join("; ", Reasons);
}
