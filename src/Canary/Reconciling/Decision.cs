using Canary.Analysis;
using Canary.Api;

namespace Canary.Reconciling;

/// <summary>
/// One reconcile's decision: the actions (in order), the status to write, the Events, and when to look again.
/// When <see cref="NeedsAnalysis"/> is true nothing else is set: the caller runs the check and decides again with
/// <see cref="Observation.Analysis"/> filled in.
/// </summary>
public sealed record Decision(
    IReadOnlyList<CanaryAction> Actions,
    CanaryAppStatus Status,
    IReadOnlyList<CanaryEvent> Events,
    TimeSpan? RequeueAfter)
{
    public bool NeedsAnalysis { get; init; }

    public Outcome Outcome { get; init; }

    /// <summary>The verdict of the check this decision used, if any (for metrics).</summary>
    public AnalysisResult? Analysis { get; init; }
}
