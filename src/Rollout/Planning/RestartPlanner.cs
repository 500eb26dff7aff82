using k8s.Models;
using Rollout.Selection;
using Rollout.Waiting;

namespace Rollout.Planning;

/// <summary>
/// Decides per selected workload whether a restart can work, before anything is changed: a paused Deployment, an
/// <c>OnDelete</c> strategy or a StatefulSet partition would leave the restart hanging or half-done, so they are
/// skipped with the reason; a workload that is already unhealthy, or whose pods a PodDisruptionBudget currently
/// allows no disruption of, gets a warning. Pure: the listed objects in, the plan out.
/// </summary>
public static class RestartPlanner
{
    public static IReadOnlyList<PlannedRestart> Plan(
        IEnumerable<SelectedWorkload> selected,
        IReadOnlyDictionary<WorkloadRef, WorkloadState> workloads,
        IEnumerable<V1PodDisruptionBudget> budgets,
        bool honourAutoRolloutOptOut = false)
    {
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(workloads);
        var byNamespace = (budgets ?? []).GroupBy(b => b.Metadata?.NamespaceProperty ?? "").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var plans = new List<PlannedRestart>();
        foreach (var item in selected)
        {
            if (!workloads.TryGetValue(item.Workload, out var state))
            {
                plans.Add(new PlannedRestart(item, null, "no longer exists (deleted since its pods were listed)", []));
                continue;
            }

            var skip = SkipReason(state, honourAutoRolloutOptOut);
            var warnings = new List<string>();
            if (skip is null)
            {
                if (RolloutStatusRules.Unhealthy(state) is { } unhealthy)
                {
                    warnings.Add($"already unhealthy before the restart: {unhealthy}");
                }

                if (state.Deployment?.Spec?.Strategy?.Type == "Recreate")
                {
                    warnings.Add("strategy Recreate: every pod stops before the new ones start");
                }

                foreach (var budget in byNamespace.GetValueOrDefault(state.Workload.Namespace) ?? [])
                {
                    if (budget.Spec?.Selector is { } selector && LabelSelectors.Matches(selector, state.TemplateLabels) &&
                        budget.Status is { } status && status.DisruptionsAllowed == 0)
                    {
                        warnings.Add($"PodDisruptionBudget {budget.Metadata.Name} allows no disruptions now ({status.CurrentHealthy} healthy, {status.DesiredHealthy} required): drains and evictions of these pods will wait");
                    }
                }
            }

            plans.Add(new PlannedRestart(item, state, skip, warnings));
        }

        return plans;
    }

    private static string? SkipReason(WorkloadState state, bool honourAutoRolloutOptOut)
    {
        if (state.Metadata.DeletionTimestamp is not null)
        {
            return "being deleted";
        }

        if (honourAutoRolloutOptOut && string.Equals(state.Annotation(AnnotationKeys.AutoRollout)?.Trim(), "false", StringComparison.OrdinalIgnoreCase))
        {
            return $"annotated {AnnotationKeys.AutoRollout}: \"false\"";
        }

        if (state.Deployment is { } deployment && deployment.Spec?.Paused == true)
        {
            return "paused (spec.paused): a paused Deployment does not roll out; resume it (kubectl rollout resume) or restart it later";
        }

        if (state.StatefulSet is { } sts)
        {
            var strategy = sts.Spec?.UpdateStrategy;
            if (strategy?.Type is { } type && type != "RollingUpdate")
            {
                return $"updateStrategy {type}: its pods change only when deleted, so a restart would wait forever";
            }

            if (strategy?.RollingUpdate?.Partition is > 0 and var partition)
            {
                return $"rollingUpdate.partition is {partition}: pods with a lower ordinal would keep their old sidecars (a staged rollout is in progress)";
            }
        }

        if (state.DaemonSet?.Spec?.UpdateStrategy?.Type is { } dsType && dsType != "RollingUpdate")
        {
            return $"updateStrategy {dsType}: its pods change only when deleted, so a restart would wait forever";
        }

        return null;
    }
}
