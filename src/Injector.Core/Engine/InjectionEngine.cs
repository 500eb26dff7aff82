using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// Pod in, patch out. Clones the raw pod, reads what an earlier pass injected (<see cref="PreviousInjection"/>:
/// only what the pod still shows to be the injector's), applies the requested plans, converging the sidecars
/// already there in place, removes or restores what is no longer wanted, writes a fresh status, and diffs the
/// result against the raw pod. Running it on its own output, or after other admission plugins added to its
/// sidecars, yields an empty patch.
/// </summary>
public sealed class InjectionEngine
{
    // The shapes checked on every review (Malformed), listed once.
    private static readonly string[] PodLists = ["containers", "initContainers", "ephemeralContainers", "volumes"];
    private static readonly string[] ContainerLists = ["containers", "initContainers"];
    private static readonly string[] ContainerListFields = ["env", "volumeMounts", "ports"];

    private readonly Dictionary<string, ISidecarPlan> _plans;

    public InjectionEngine()
        : this([new AppUpPlan(), new ShawarmaPlan(), new ProaPlan()])
    {
    }

    public InjectionEngine(IEnumerable<ISidecarPlan> plans)
    {
        _plans = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// The engine's opt-in rule: whether it has anything to do with this pod at all. The chart's matchConditions
    /// must select exactly these pods (a CEL test evaluates both over the same pods).
    /// </summary>
    public static bool IsInScope(JsonObject pod) =>
        SidecarSelection.IsInScope(new PodAnnotations(pod["metadata"]?["annotations"] as JsonObject));

    public InjectionResult Inject(JsonObject pod, InjectorConfig config) => Inject(pod, config, new WorkMeter());

    public InjectionResult Inject(JsonObject pod, InjectorConfig config, WorkMeter work) => Inject(pod, config, work, fastPath: false);

    /// <summary>
    /// The answer for an admission review: as <see cref="Inject(JsonObject, InjectorConfig)"/>, but the result has no
    /// <see cref="InjectionResult.Pod"/>, which lets the commonest review (appup into a pod no pass injected) skip the
    /// tree: <see cref="FreshAppUpInjection"/> writes the same patch from bytes prepared once per config.
    /// </summary>
    public InjectionResult InjectPatch(JsonObject pod, InjectorConfig config)
    {
        var result = Inject(pod, config, new WorkMeter(), fastPath: true);
        return result.Pod is null ? result : result with { Pod = null };
    }

    private InjectionResult Inject(JsonObject pod, InjectorConfig config, WorkMeter work, bool fastPath)
    {
        var metadata = pod["metadata"] as JsonObject;
        var annotations = new PodAnnotations(metadata?["annotations"] as JsonObject);
        if (!SidecarSelection.IsInScope(annotations))
        {
            return InjectionResult.Skip(SkipReasons.NotOptedIn) with { Work = work.Steps };
        }

        if (annotations.Contains("kubernetes.io/config.mirror"))
        {
            return InjectionResult.Skip(SkipReasons.MirrorPod);
        }

        var selection = SidecarSelection.From(annotations);
        var warnings = new List<string>(selection.Warnings);
        AnnotationKeyCheck.Check(annotations, warnings);
        if (selection.Error is not null)
        {
            return InjectionResult.Deny(SkipReasons.InvalidAnnotation, selection.Error, warnings);
        }

        var statusText = annotations.Get(AnnotationKeys.Status);
        if (selection.Sidecars.Count == 0 && statusText is null)
        {
            return InjectionResult.Skip(SkipReasons.OptedOut, warnings);
        }

        if (Malformed(pod) is { } malformed)
        {
            return InjectionResult.Deny(SkipReasons.InvalidPod, malformed, warnings);
        }

        var modeText = annotations.GetFirst(AnnotationKeys.Mode)?.ToLowerInvariant();
        SidecarMode mode;
        switch (modeText)
        {
            case null or "":
                mode = config.DefaultMode;
                break;
            case "native":
                mode = SidecarMode.Native;
                break;
            case "classic":
                mode = SidecarMode.Classic;
                break;
            default:
                return InjectionResult.Deny(SkipReasons.InvalidAnnotation, $"annotation {AnnotationKeys.Mode}: {AnnotationValues.Quote(modeText)} is not valid; use native (sidecars as initContainers with restartPolicy: Always, Kubernetes 1.29+) or classic", warnings);
        }

        if (selection.Sidecars.Count > 0 && JsonValues.Text(pod["spec"]?["os"]?["name"]) == "windows")
        {
            return InjectionResult.Deny(SkipReasons.Unsupported,
                "Windows pods (spec.os.name: windows) cannot get sidecars: " + string.Join(", ", selection.Sidecars) + " are Linux images, and the API server " +
                "rejects the securityContext the injector sets (runAsUser, runAsGroup, capabilities, seccompProfile, readOnlyRootFilesystem, allowPrivilegeEscalation) " +
                $"for a windows pod; remove {AnnotationKeys.Inject} from this pod", warnings);
        }

        if (fastPath && statusText is null && selection.Sidecars is [SidecarNames.AppUp] && _plans.GetValueOrDefault(SidecarNames.AppUp) is AppUpPlan
            && FreshAppUpInjection.TryInject(pod, config, annotations, mode, warnings) is { } fresh)
        {
            return fresh;
        }

        // Identity is tracked down to single containers, so the diff skips everything this pass did not touch.
        var editor = new PodEditor(TrackedClone.Create(pod, depth: 4), work);
        editor.Adopt(PreviousInjection.Read(statusText, editor, _plans.Values, config, annotations, warnings, work));
        var context = new InjectionContext(editor, annotations, config, mode);
        foreach (var name in selection.Sidecars)
        {
            if (!_plans.TryGetValue(name, out var plan))
            {
                return InjectionResult.Deny(SkipReasons.InvalidAnnotation, $"sidecar '{name}' is not available in this injector", warnings);
            }

            editor.BeginSidecar(plan, config);
            if (plan.Apply(context) is { } denial)
            {
                warnings.AddRange(context.Warnings);
                return InjectionResult.Deny(denial.StartsWith("annotation ", StringComparison.Ordinal) ? SkipReasons.InvalidAnnotation : SkipReasons.Conflict, denial, warnings);
            }

            editor.EndSidecar();
        }

        warnings.AddRange(context.Warnings);
        editor.Finish(warnings);
        var desiredMeta = editor.Metadata;
        var desiredAnnotations = editor.GetOrAddObject(desiredMeta, "annotations");
        if (selection.Sidecars.Count > 0)
        {
            editor.Status.Revision = config.Revision;
            editor.Status.Mode = mode == SidecarMode.Native ? "native" : "classic";
            var status = editor.Status.ToJson();
            if (JsonValues.Text(desiredAnnotations[AnnotationKeys.Status]) != status)
            {
                desiredAnnotations[AnnotationKeys.Status] = status;
                editor.Changed(desiredAnnotations);
            }

            var desiredLabels = editor.GetOrAddObject(desiredMeta, "labels");
            if (JsonValues.Text(desiredLabels[AnnotationKeys.InjectedLabel]) != "true")
            {
                desiredLabels[AnnotationKeys.InjectedLabel] = "true";
                editor.Changed(desiredLabels);
            }
        }
        else
        {
            if (desiredAnnotations.Remove(AnnotationKeys.Status))
            {
                editor.Changed(desiredAnnotations);
            }

            if (desiredMeta["labels"] is JsonObject desiredLabels && desiredLabels.Remove(AnnotationKeys.InjectedLabel))
            {
                if (desiredLabels.Count == 0)
                {
                    desiredMeta.Remove("labels");
                }

                editor.Changed(desiredMeta);
            }
        }

        editor.RemoveEmptyCollectionsAbsentIn(pod);
        var patch = JsonPatchDiff.Create(pod, editor.Pod, editor.Tracking, work);
        return new InjectionResult(InjectionDecision.Injected, patch.Count == 0 ? SkipReasons.Unchanged : SkipReasons.Injected,
            null, patch, editor.Pod, warnings, selection.Sidecars)
        { Work = work.Steps };
    }

    /// <summary>
    /// Why the pod cannot be edited safely (a shape the API server would never send), or null. Replacing a field
    /// that has the wrong type would lose what the user wrote, so such pods are refused instead.
    /// </summary>
    private static string? Malformed(JsonObject pod)
    {
        if (pod["metadata"] is JsonObject metadata && metadata["labels"] is { } labels && labels is not JsonObject)
        {
            return "the pod's metadata.labels is not an object";
        }

        if (pod["spec"] is not JsonObject spec)
        {
            return "the pod has no spec object";
        }

        foreach (var key in PodLists)
        {
            if (spec[key] is { } value && value is not JsonArray)
            {
                return $"the pod's spec.{key} is not a list";
            }
        }

        foreach (var key in ContainerLists)
        {
            foreach (var entry in PodEditor.Entries(spec, key))
            {
                if (entry is not JsonObject container)
                {
                    // An item the request reader left unread knows its shape.
                    if (RawJson.Of(entry) is { MalformedField: { } field } raw)
                    {
                        var name = AnnotationValues.Quote(raw.Name ?? "(unnamed)");
                        return field == "lifecycle" ? $"container {name} has a lifecycle that is not an object" : $"container {name} has a {field} that is not a list";
                    }

                    continue;
                }

                foreach (var list in ContainerListFields)
                {
                    if (container[list] is { } value && value is not JsonArray)
                    {
                        return $"container {AnnotationValues.Quote(PodEditor.NameOf(container) ?? "(unnamed)")} has a {list} that is not a list";
                    }
                }

                if (container["lifecycle"] is { } lifecycle && lifecycle is not JsonObject)
                {
                    return $"container {AnnotationValues.Quote(PodEditor.NameOf(container) ?? "(unnamed)")} has a lifecycle that is not an object";
                }
            }
        }

        return null;
    }
}
