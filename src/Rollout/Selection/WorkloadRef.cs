namespace Rollout.Selection;

/// <summary>One restartable workload: kind, namespace and name.</summary>
public sealed record WorkloadRef(WorkloadKind Kind, string Namespace, string Name)
{
    /// <summary>Namespace, then kind, then name: the order of every table and of the restart queue.</summary>
    public static IComparer<WorkloadRef> Order { get; } = Comparer<WorkloadRef>.Create((a, b) =>
    {
        var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
        if (byNamespace != 0)
        {
            return byNamespace;
        }

        var byKind = a.Kind.CompareTo(b.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(a.Name, b.Name);
    });

    /// <summary><c>deployment/web</c>, as kubectl names it.</summary>
    public string KindAndName => $"{Kind.ToString().ToLowerInvariant()}/{Name}";

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
