namespace Shawarma.State;

/// <summary>The decision, pure: matched Services and their EndpointSlices in, state out. No I/O here.</summary>
internal static class ActivityEvaluator
{
    /// <summary>
    /// A pod is active for a Service when one of that Service's slices lists it (targetRef kind Pod, same name)
    /// as a ready endpoint. The pod is active when it is active for any matched Service.
    /// </summary>
    public static DeploymentState Evaluate(string podName, IEnumerable<string> matchedServices, IEnumerable<EndpointSliceInfo> slices)
    {
        var matched = matchedServices as IReadOnlySet<string> ?? matchedServices.ToHashSet(StringComparer.Ordinal);
        var active = new List<string>();
        foreach (var slice in slices)
        {
            if (slice.ServiceName is { } service && matched.Contains(service)
                && slice.Endpoints.Any(e => e.Ready && string.Equals(e.PodName, podName, StringComparison.Ordinal)))
            {
                active.Add(service);
            }
        }

        return active.Count == 0 ? DeploymentState.Inactive : new DeploymentState(active);
    }

    /// <summary>
    /// Services selected by <c>--service</c> and/or <c>--service-labels</c>: when both are given all must match.
    /// Applied client-side too, so a loose server-side filter can never widen the selection.
    /// </summary>
    public static IReadOnlyList<string> MatchServices(
        IEnumerable<ServiceInfo> services, string? name, IReadOnlyDictionary<string, string> labels)
    {
        var result = new List<string>();
        foreach (var service in services)
        {
            if (name is not null && !string.Equals(service.Name, name, StringComparison.Ordinal))
            {
                continue;
            }

            var all = true;
            foreach (var (key, value) in labels)
            {
                if (!service.Labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                result.Add(service.Name);
            }
        }

        return result;
    }
}
