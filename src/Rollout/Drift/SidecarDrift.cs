namespace Rollout.Drift;

/// <summary>One sidecar of a pod that the injector would now inject differently, and what differs.</summary>
public sealed record SidecarDrift(string Sidecar, IReadOnlyList<string> Changes)
{
    /// <summary><c>appup image 0.1.0 -> 0.2.0, resources.limits.memory 32Mi -> 64Mi</c>.</summary>
    public override string ToString() => Changes.Count == 0 ? Sidecar : $"{Sidecar} {string.Join(", ", Changes)}";
}
