namespace Rollout.Selection;

/// <summary>The kinds the tool restarts by patching their pod template.</summary>
public enum WorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
}
