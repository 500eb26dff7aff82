namespace Rollout.Waiting;

/// <summary>Where a rollout stands, with kubectl's message for it.</summary>
public sealed record RolloutProgress(RolloutState State, string Message)
{
    public static RolloutProgress Waiting(string message) => new(RolloutState.Waiting, message);

    public static RolloutProgress Complete(string message) => new(RolloutState.Complete, message);

    public static RolloutProgress Failed(string message) => new(RolloutState.Failed, message);
}
