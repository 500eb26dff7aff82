namespace Rollout.Drift;

/// <summary>
/// The verdict on one live pod: which of its sidecars are out of date (empty: none, or the pod carries none), or
/// why the pod cannot be judged or restarted (<see cref="Blocker"/>: the injector would now deny it).
/// </summary>
public sealed record PodDrift(IReadOnlyList<SidecarDrift> Sidecars, string? Blocker)
{
    public static PodDrift UpToDate { get; } = new([], null);

    public bool Outdated => Sidecars.Count > 0;

    public static PodDrift Blocked(string reason) => new([], reason);
}
