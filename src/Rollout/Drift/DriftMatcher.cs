using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Rollout.Selection;

namespace Rollout.Drift;

/// <summary>
/// Selection by sidecar drift: a pod matches when one of the sidecars it carries is out of date. Pods of one
/// ReplicaSet, StatefulSet or DaemonSet that carry the same annotations (the status among them) and run the same
/// images were injected alike and get the same verdict, so the engine runs once per such group: the other fields of
/// a pod's spec cannot change after creation, and what differs between them (a token volume's random name, the node)
/// is nothing the engine judges.
/// </summary>
public sealed class DriftMatcher : IPodMatcher
{
    private readonly DriftDetector _detector;
    private readonly Dictionary<string, PodMatch> _verdicts = new(StringComparer.Ordinal);

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

        var key = GroupKey(pod);
        if (key is not null && _verdicts.TryGetValue(key, out var known))
        {
            Inspected++;
            return known;
        }

        var drift = _detector.Inspect(ToJson(pod));
        Inspected++;
        Judged++;
        var verdict = drift.Blocker is { } blocker ? PodMatch.Blocked(blocker)
            : drift.Outdated ? PodMatch.Because(drift.Sidecars.Select(s => s.ToString()).ToList()) with { Sidecars = drift.Sidecars.Select(s => s.Sidecar).ToList() }
            : PodMatch.None;
        if (key is not null)
        {
            _verdicts[key] = verdict;
        }

        return verdict;
    }

    /// <summary>Pods looked at.</summary>
    public int Inspected { get; private set; }

    /// <summary>Pods the engine ran on (the others shared a verdict).</summary>
    public int Judged { get; private set; }

    /// <summary>The controller's uid, every annotation and every container's name and image; null without a controller.</summary>
    private static string? GroupKey(V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid;
        if (string.IsNullOrEmpty(owner))
        {
            return null;
        }

        var key = new System.Text.StringBuilder(owner);
        foreach (var (name, value) in (pod.Metadata!.Annotations ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            key.Append('\0').Append(name).Append('=').Append(value);
        }

        foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []))
        {
            key.Append('\u0001').Append(container.Name).Append('=').Append(container.Image);
        }

        return key.ToString();
    }

    /// <summary>The pod as the engine reads it: the API's JSON (KubernetesClient's serializer keeps the wire names).</summary>
    public static JsonObject ToJson(V1Pod pod) => JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject();
}
