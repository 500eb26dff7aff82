namespace Proa.Readiness;

/// <summary>What one pod snapshot says about the sidecars; <see cref="Detail"/> is meant for humans.</summary>
internal sealed record ReadinessDecision(ReadinessState State, string Detail)
{
    public static ReadinessDecision Ready(string detail) => new(ReadinessState.Ready, detail);

    public static ReadinessDecision Waiting(string detail) => new(ReadinessState.Waiting, detail);

    public static ReadinessDecision Failed(string detail) => new(ReadinessState.Failed, detail);
}
