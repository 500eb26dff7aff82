using Rollout.Selection;
using Rollout.Waiting;

namespace Rollout.Execution;

/// <summary>What a rollout reports while it runs (the reporters print it; watch mode records metrics and Events).</summary>
public interface IRolloutObserver
{
    void Patched(WorkloadRef workload, long generation, bool dryRun);

    void Progress(WorkloadRef workload, RolloutProgress progress);
}
