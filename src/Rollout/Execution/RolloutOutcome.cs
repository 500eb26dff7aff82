using Rollout.Selection;

namespace Rollout.Execution;

/// <summary>One workload's result, what happened (or why), and how long its rollout took.</summary>
public sealed record RolloutOutcome(WorkloadRef Workload, RolloutResult Result, string Detail, TimeSpan Elapsed)
{
    public string Reason { get; init; } = "";

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
