namespace Rollout.Selection;

/// <summary>Something that matched but will not be restarted, and why (e.g. <c>Job shop/migrate</c>: runs to completion).</summary>
public sealed record SkippedItem(string Subject, string Reason, int Pods = 0)
{
    public override string ToString() => $"{Subject}: {Reason}";
}
