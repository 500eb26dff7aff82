using k8s.Models;

namespace Rollout.Planning;

/// <summary>
/// Evaluates a <see cref="V1LabelSelector"/> against labels as apimachinery's <c>LabelSelectorAsSelector</c> does:
/// matchLabels and every matchExpression (In, NotIn, Exists, DoesNotExist) must hold; an empty selector matches
/// everything. (A null selector is the caller's decision: for a policy/v1 PodDisruptionBudget it matches nothing.)
/// An unknown operator matches nothing, as the API server would have rejected it.
/// </summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key ?? "", out var actual);
            var values = requirement.Values ?? [];
            var holds = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A selector as the <c>labelSelector</c> query parameter spells it (for listing a workload's pods).</summary>
    public static string ToQuery(V1LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var parts = new List<string>();
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            parts.Add($"{key}={value}");
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", (requirement.Values ?? []).Order(StringComparer.Ordinal));
            parts.Add(requirement.OperatorProperty switch
            {
                "In" => $"{requirement.Key} in ({values})",
                "NotIn" => $"{requirement.Key} notin ({values})",
                "Exists" => requirement.Key,
                "DoesNotExist" => $"!{requirement.Key}",
                _ => $"{requirement.Key} {requirement.OperatorProperty} ({values})",
            });
        }

        return string.Join(",", parts);
    }
}
