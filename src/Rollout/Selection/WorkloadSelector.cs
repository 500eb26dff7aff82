using k8s.Models;

namespace Rollout.Selection;

/// <summary>
/// Pods in, workloads out: filters pods (namespace, terminal or terminating, started before), asks the matcher
/// whether each calls for a restart, resolves owners, and groups by workload so each is restarted once however many
/// of its pods match. Pure: no I/O, deterministic order.
/// </summary>
public static class WorkloadSelector
{
    public static SelectionResult Select(IEnumerable<V1Pod> pods, OwnerResolver owners, IPodMatcher matcher, SelectionFilters filters)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(filters);
        var workloads = new SortedDictionary<WorkloadRef, Accumulator>(WorkloadRef.Order);
        var skipped = new SortedDictionary<string, (string Reason, int Pods)>(StringComparer.Ordinal);
        int examined = 0, matched = 0;
        foreach (var pod in pods)
        {
            var ns = pod.Metadata?.NamespaceProperty ?? "";
            if (!filters.InScope(ns) || IsGoingAway(pod) || !StartedBefore(pod, filters.StartedBefore))
            {
                continue;
            }

            examined++;
            var match = matcher.Match(pod);
            if (!match.Matches && match.Blocker is null)
            {
                continue;
            }

            matched++;
            var owner = owners.Resolve(pod);
            if (owner.Workload is not { } workload)
            {
                AddSkip(skipped, owner.SkippedSubject!, owner.SkipReason!);
                continue;
            }

            if (filters.KindExcluded(workload.Kind) is { } excluded)
            {
                AddSkip(skipped, workload.ToString(), excluded);
                continue;
            }

            if (!workloads.TryGetValue(workload, out var acc))
            {
                acc = new Accumulator();
                workloads[workload] = acc;
            }

            acc.Pods++;
            foreach (var reason in match.Reasons)
            {
                acc.Reasons.Add(reason);
            }

            foreach (var sidecar in match.Sidecars)
            {
                acc.Sidecars.Add(sidecar);
            }

            if (match.Blocker is not null)
            {
                acc.Blockers.Add(match.Blocker);
            }
        }

        var selected = new List<SelectedWorkload>();
        foreach (var (workload, acc) in workloads)
        {
            if (acc.Blockers.Count > 0)
            {
                skipped[workload.ToString()] = (acc.Blockers.ToString(), acc.Pods);
            }
            else
            {
                selected.Add(new SelectedWorkload(workload, acc.Reasons.ToList(), acc.Pods) { Sidecars = acc.Sidecars.ToList() });
            }
        }

        return new SelectionResult(selected, skipped.Select(kv => new SkippedItem(kv.Key, kv.Value.Reason, kv.Value.Pods)).ToList(), examined, matched);
    }

    private static void AddSkip(SortedDictionary<string, (string Reason, int Pods)> skipped, string subject, string reason)
    {
        skipped[subject] = skipped.TryGetValue(subject, out var seen) ? (seen.Reason, seen.Pods + 1) : (reason, 1);
    }

    /// <summary>Finished pods (evicted, completed) and pods being deleted are leftovers, not what runs.</summary>
    private static bool IsGoingAway(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is not null || pod.Status?.Phase is "Succeeded" or "Failed";

    private static bool StartedBefore(V1Pod pod, DateTimeOffset? before)
    {
        if (before is not { } limit)
        {
            return true;
        }

        var started = pod.Status?.StartTime ?? pod.Metadata?.CreationTimestamp;
        return started is { } t && KubeTime.Utc(t) < limit;
    }

    private sealed class Accumulator
    {
        public int Pods { get; set; }

        // Insertion-ordered distinct reasons: the first pod's reasons lead.
        public OrderedSet Reasons { get; } = new();

        public OrderedSet Blockers { get; } = new();

        public OrderedSet Sidecars { get; } = new();
    }

    private sealed class OrderedSet
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<string> _items = [];

        public int Count => _items.Count;

        public void Add(string item)
        {
            if (_seen.Add(item))
            {
                _items.Add(item);
            }
        }

        public List<string> ToList() => [.. _items];

        public override string ToString() => string.Join("; ", _items);
    }
}
