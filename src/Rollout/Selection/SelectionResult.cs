namespace Rollout.Selection;

/// <summary>What a selection found: workloads to restart, in a stable order, and what was skipped with reasons.</summary>
public sealed record SelectionResult(IReadOnlyList<SelectedWorkload> Workloads, IReadOnlyList<SkippedItem> Skipped, int PodsExamined, int PodsMatched);
