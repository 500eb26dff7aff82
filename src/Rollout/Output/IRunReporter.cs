using Rollout.Execution;
using Rollout.Planning;
using Rollout.Selection;

namespace Rollout.Output;

/// <summary>Where a run tells what it does: text for people (<see cref="TextReporter"/>) or JSON lines (<see cref="JsonReporter"/>).</summary>
public interface IRunReporter : IRolloutObserver
{
    void Log(Verbosity level, string message);

    /// <summary>What was selected and planned: the dry-run table, or the list of what is about to restart.</summary>
    void Plan(SelectionResult selection, IReadOnlyList<PlannedRestart> plans, bool willRestart);

    void RolloutStarted(PlannedRestart plan);

    void RolloutFinished(RolloutOutcome outcome);

    void Summary(RunSummary summary);
}
