namespace Rollout.Waiting;

public enum RolloutState
{
    /// <summary>Not done yet (including: the controller has not observed the restart's generation).</summary>
    Waiting,

    Complete,

    /// <summary>Will not complete by itself (progress deadline exceeded, a paused Deployment, strategy changed to OnDelete).</summary>
    Failed,
}
