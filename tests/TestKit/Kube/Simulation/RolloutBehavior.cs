namespace TestKit.Kube.Simulation;

/// <summary>How a simulated workload controller treats one workload.</summary>
public enum RolloutBehavior
{
    /// <summary>Observes the new generation, then moves replicas one step per tick until the rollout completes.</summary>
    Progress,

    /// <summary>
    /// Observes the new generation but makes no progress; once <c>spec.progressDeadlineSeconds</c> have passed on the
    /// clock, sets <c>Progressing=False, reason ProgressDeadlineExceeded</c> (kubectl's "exceeded its progress deadline").
    /// </summary>
    Stall,

    /// <summary>Never observes the new generation: <c>status.observedGeneration</c> stays stale (a controller that is down).</summary>
    Ignore,
}
