using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Rollout.Selection;

namespace Rollout.Drift;

/// <summary>Selection by sidecar drift: a pod matches when one of the sidecars it carries is out of date.</summary>
public sealed class DriftMatcher : IPodMatcher
{
    private readonly DriftDetector _detector;

    public DriftMatcher(DriftDetector detector)
    {
        _detector = detector;
    }

    public PodMatch Match(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata?.Annotations is not { } annotations || !annotations.ContainsKey(AnnotationKeys.Status))
        {
            return PodMatch.None;
        }

        var drift = _detector.Inspect(ToJson(pod));
        if (drift.Blocker is { } blocker)
        {
            return PodMatch.Blocked(blocker);
        }

        return drift.Outdated ? PodMatch.Because(drift.Sidecars.Select(s => s.ToString()).ToList()) : PodMatch.None;
    }

    /// <summary>The pod as the engine reads it: the API's JSON (KubernetesClient's serializer keeps the wire names).</summary>
    public static JsonObject ToJson(V1Pod pod) => JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject();
}
