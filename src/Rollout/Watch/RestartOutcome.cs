namespace Rollout.Watch;

/// <summary>How the last restart of a workload went, as far as the watch knows.</summary>
public enum RestartOutcome
{
    /// <summary>Sent; its pods are being replaced.</summary>
    InFlight,

    /// <summary>Every pod was replaced and is ready.</summary>
    Settled,

    /// <summary>Not settled within the timeout (it may still complete).</summary>
    TimedOut,

    /// <summary>The patch was refused.</summary>
    Failed,

    /// <summary>Learnt from its pods' restart annotation (another replica, or a person with the CLI).</summary>
    Seen,
}
