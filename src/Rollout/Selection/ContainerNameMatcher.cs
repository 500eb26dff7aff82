using k8s.Models;

namespace Rollout.Selection;

/// <summary>
/// The original tool's rule: a pod matches when one of its containers or init containers (native sidecars live
/// there) has one of the given names.
/// </summary>
public sealed class ContainerNameMatcher : IPodMatcher
{
    private readonly IReadOnlyList<string> _names;

    public ContainerNameMatcher(IEnumerable<string> names)
    {
        _names = names.Distinct(StringComparer.Ordinal).ToList();
    }

    public PodMatch Match(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var present = (pod.Spec?.Containers ?? []).Select(c => c.Name)
            .Concat((pod.Spec?.InitContainers ?? []).Select(c => c.Name))
            .ToHashSet(StringComparer.Ordinal);
        var found = _names.Where(present.Contains).ToList();
        return found.Count == 0 ? PodMatch.None : PodMatch.Because(found.Select(n => $"has container {n}").ToList());
    }
}
