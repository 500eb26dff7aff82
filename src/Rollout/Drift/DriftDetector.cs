using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Plans;

namespace Rollout.Drift;

/// <summary>
/// Decides whether a live pod's sidecars are out of date by running the injector's own engine on the pod as it is,
/// under the current config: the engine converges our sidecars in place, so its result differs from the live pod
/// only where the injector would now inject something else. Per sidecar, the status's record (version 2: a hash of
/// everything injected for that sidecar) decides; for a version-1 status, the sidecar's containers and its edits to
/// the app's containers are compared. The same comparison names what changed (<c>appup image 0.1.0 -> 0.2.0</c>).
/// Changing one sidecar's config never marks a pod that carries only others; a config change that alters no
/// sidecar marks nothing.
/// </summary>
public sealed class DriftDetector
{
    private readonly InjectorConfig _config;
    private readonly InjectionEngine _engine;
    private readonly Dictionary<string, ISidecarPlan> _plans;

    public DriftDetector(InjectorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        ISidecarPlan[] plans = [new AppUpPlan(), new ShawarmaPlan(), new ProaPlan()];
        _plans = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _engine = new InjectionEngine(plans);
    }

    public InjectorConfig Config => _config;

    public PodDrift Inspect(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (AnnotationOf(pod, AnnotationKeys.Status) is not { } statusText)
        {
            return PodDrift.UpToDate; // not injected: nothing of ours to be out of date
        }

        var live = InjectionStatus.TryParse(statusText, out var statusError);
        if (live is null)
        {
            return PodDrift.Blocked($"its {AnnotationKeys.Status} annotation cannot be read ({statusError})");
        }

        InjectionResult result;
        try
        {
            result = _engine.Inject(pod, _config);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            return PodDrift.Blocked($"the injector's engine failed on it: {ex.Message}");
        }

        switch (result.Decision)
        {
            case InjectionDecision.Denied:
                return PodDrift.Blocked($"the injector would now deny its pods: {result.Message}");
            case InjectionDecision.Skipped:
                return PodDrift.UpToDate;
        }

        if (result.Patch.Count == 0 || result.Pod is not { } desired)
        {
            return PodDrift.UpToDate;
        }

        var desiredStatus = AnnotationOf(desired, AnnotationKeys.Status) is { } text ? InjectionStatus.TryParse(text, out _) : null;
        var drifts = new List<SidecarDrift>();
        foreach (var sidecar in live.Sidecars.Distinct(StringComparer.Ordinal))
        {
            if (!_plans.TryGetValue(sidecar, out var plan))
            {
                continue;
            }

            if (desiredStatus is null || !desiredStatus.Sidecars.Contains(sidecar))
            {
                drifts.Add(new SidecarDrift(sidecar, ["would be removed"]));
                continue;
            }

            var changes = Changes(plan, pod, desired);
            live.Injected.TryGetValue(sidecar, out var before);
            desiredStatus.Injected.TryGetValue(sidecar, out var after);
            if (before is not null && after is not null && before.Hash.Length > 0)
            {
                // Version 2: the engine's fingerprint of everything injected for this sidecar decides.
                if (before.Hash != after.Hash || before.Image != after.Image)
                {
                    drifts.Add(new SidecarDrift(sidecar, changes.Count > 0 ? changes : ["injected differently (no field of its containers changed)"]));
                }
            }
            else if (changes.Count > 0)
            {
                drifts.Add(new SidecarDrift(sidecar, changes));
            }
        }

        return new PodDrift(drifts, null);
    }

    /// <summary>What differs for one sidecar: its own containers, then the fields it sets in the app's containers.</summary>
    private static List<string> Changes(ISidecarPlan plan, JsonObject live, JsonObject desired)
    {
        var footprint = plan.Footprint;
        var changes = new List<string>();
        var ours = new HashSet<string>(footprint.Containers, StringComparer.Ordinal);
        foreach (var name in footprint.Containers)
        {
            changes.AddRange(ContainerDiff.Describe(Container(live, name), Container(desired, name)));
        }

        var volumes = footprint.Volumes.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var volume in volumes)
        {
            var a = Named(live["spec"]?["volumes"], volume);
            var b = Named(desired["spec"]?["volumes"], volume);
            if (!JsonNode.DeepEquals(a, b))
            {
                changes.Add(b is null ? $"volume {volume} would be removed" : a is null ? $"volume {volume} would be added" : $"volume {volume} changed");
            }
        }

        // Fields of the app's containers this plan owns: probes and hooks it sets, env it adds, mounts of its volumes.
        var envNames = footprint.TargetEnv.Keys.ToHashSet(StringComparer.Ordinal);
        var fields = footprint.TargetFields.Keys.Select(f => f.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var user in Containers(desired).Where(c => Text(c["name"]) is { } n && !IsAnyPlansContainer(n)))
        {
            var name = Text(user["name"])!;
            var before = Container(live, name);
            if (before is null)
            {
                continue;
            }

            var targetChanges = ContainerDiff.Describe(
                Filtered(before, fields, envNames, volumes),
                Filtered(user, fields, envNames, volumes));
            changes.AddRange(targetChanges.Select(c => $"{c} in container {name}"));
        }

        return changes;

        bool IsAnyPlansContainer(string n) => ours.Contains(n) || ContainerNames.Contains(n);
    }

    private static readonly string[] ContainerKeys = ["containers", "initContainers"];

    private static readonly HashSet<string> ContainerNames = new(
        new ISidecarPlan[] { new AppUpPlan(), new ShawarmaPlan(), new ProaPlan() }.SelectMany(p => p.Footprint.Containers), StringComparer.Ordinal);

    /// <summary>A copy of a container with only the fields, env vars and mounts a plan owns.</summary>
    private static JsonObject Filtered(JsonObject container, HashSet<string> fields, HashSet<string> env, HashSet<string> volumes)
    {
        var copy = new JsonObject { ["name"] = container["name"]?.DeepClone() };
        foreach (var field in fields)
        {
            if (container[field] is { } value)
            {
                copy[field] = value.DeepClone();
            }
        }

        if (env.Count > 0 && container["env"] is JsonArray envList)
        {
            copy["env"] = new JsonArray(envList.OfType<JsonObject>().Where(e => Text(e["name"]) is { } n && env.Contains(n)).Select(e => (JsonNode)e.DeepClone()).ToArray());
        }

        if (volumes.Count > 0 && container["volumeMounts"] is JsonArray mounts)
        {
            copy["volumeMounts"] = new JsonArray(mounts.OfType<JsonObject>().Where(m => Text(m["name"]) is { } n && volumes.Contains(n)).Select(m => (JsonNode)m.DeepClone()).ToArray());
        }

        return copy;
    }

    private static IEnumerable<JsonObject> Containers(JsonObject pod) =>
        ContainerKeys.SelectMany(key => (pod["spec"]?[key] as JsonArray)?.OfType<JsonObject>() ?? []);

    private static JsonObject? Container(JsonObject pod, string name) => Containers(pod).FirstOrDefault(c => Text(c["name"]) == name);

    private static JsonObject? Named(JsonNode? list, string name) =>
        (list as JsonArray)?.OfType<JsonObject>().FirstOrDefault(item => Text(item["name"]) == name);

    private static string? AnnotationOf(JsonObject pod, string key) => Text(pod["metadata"]?["annotations"]?[key]);

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
