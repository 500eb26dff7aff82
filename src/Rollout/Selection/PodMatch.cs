namespace Rollout.Selection;

/// <summary>
/// Whether a pod calls for a restart of its workload, and why (e.g. <c>appup image 0.1.0 -> 0.2.0</c>). A pod can
/// also block its workload: <see cref="Blocker"/> says why restarting it would not help or would do harm (the
/// injector would now deny its pods).
/// </summary>
public sealed record PodMatch(bool Matches, IReadOnlyList<string> Reasons, string? Blocker = null)
{
    public static PodMatch None { get; } = new(false, []);

    /// <summary>The sidecars that are out of date (drift selection; empty when selecting by container name).</summary>
    public IReadOnlyList<string> Sidecars { get; init; } = [];

    public static PodMatch Because(IReadOnlyList<string> reasons) => new(true, reasons);

    public static PodMatch Blocked(string blocker) => new(false, [], blocker);
}
