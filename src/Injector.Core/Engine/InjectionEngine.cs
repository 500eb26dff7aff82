using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// Pod in, patch out. Clones the raw pod, strips whatever an earlier <c>sidecars.dev/status</c> lists, applies the
/// requested sidecar plans, writes a fresh status, and diffs the result against the raw pod. Running it on its own
/// output therefore yields an empty patch.
/// </summary>
public sealed class InjectionEngine
{
    private readonly Dictionary<string, ISidecarPlan> _plans;

    public InjectionEngine()
        : this([new AppUpPlan(), new ShawarmaPlan(), new ProaPlan()])
    {
    }

    public InjectionEngine(IEnumerable<ISidecarPlan> plans)
    {
        _plans = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public InjectionResult Inject(JsonObject pod, InjectorConfig config)
    {
        var metadata = pod["metadata"] as JsonObject;
        var annotations = new PodAnnotations(metadata?["annotations"] as JsonObject);
        var selection = SidecarSelection.From(annotations);
        var statusText = annotations.Get(AnnotationKeys.Status);
        if (!selection.OptedIn && statusText is null)
        {
            return InjectionResult.Skip(SkipReasons.NotOptedIn);
        }

        if (annotations.Contains("kubernetes.io/config.mirror"))
        {
            return InjectionResult.Skip(SkipReasons.MirrorPod);
        }

        if (selection.Error is not null)
        {
            return InjectionResult.Deny(SkipReasons.InvalidAnnotation, selection.Error);
        }

        var modeText = annotations.GetFirst(AnnotationKeys.Mode);
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
                return InjectionResult.Deny(SkipReasons.InvalidAnnotation, $"annotation {AnnotationKeys.Mode}: '{modeText}' is not valid; use native (sidecars as initContainers with restartPolicy: Always, Kubernetes 1.29+) or classic");
        }

        var desired = pod.DeepClone().AsObject();
        var editor = new PodEditor(desired);
        var warnings = new List<string>();
        if (statusText is not null)
        {
            var previous = InjectionStatus.TryParse(statusText, out var statusError);
            if (previous is null)
            {
                warnings.Add($"annotation {AnnotationKeys.Status} could not be read ({statusError}); it was replaced");
            }
            else
            {
                editor.Strip(previous);
            }
        }

        var context = new InjectionContext(editor, annotations, config, mode);
        foreach (var name in selection.Sidecars)
        {
            if (!_plans.TryGetValue(name, out var plan))
            {
                return InjectionResult.Deny(SkipReasons.InvalidAnnotation, $"sidecar '{name}' is not available in this injector");
            }

            if (plan.Apply(context) is { } denial)
            {
                return InjectionResult.Deny(denial.StartsWith("annotation ", StringComparison.Ordinal) ? SkipReasons.InvalidAnnotation : SkipReasons.Conflict, denial, warnings);
            }
        }

        warnings.AddRange(context.Warnings);
        var desiredMeta = editor.Metadata;
        var desiredAnnotations = PodEditor.GetOrAddObject(desiredMeta, "annotations");
        var desiredLabels = PodEditor.GetOrAddObject(desiredMeta, "labels");
        if (selection.Sidecars.Count > 0)
        {
            editor.Status.Revision = config.Revision;
            editor.Status.Mode = mode == SidecarMode.Native ? "native" : "classic";
            editor.Status.Sidecars.AddRange(selection.Sidecars);
            desiredAnnotations[AnnotationKeys.Status] = editor.Status.ToJson();
            desiredLabels[AnnotationKeys.InjectedLabel] = "true";
        }
        else
        {
            desiredAnnotations.Remove(AnnotationKeys.Status);
            if (desiredLabels.Remove(AnnotationKeys.InjectedLabel) && desiredLabels.Count == 0)
            {
                desiredMeta.Remove("labels");
            }
        }

        editor.RemoveEmptyCollectionsAbsentIn(pod);
        var patch = JsonPatchDiff.Create(pod, desired);
        return new InjectionResult(InjectionDecision.Injected, patch.Count == 0 ? SkipReasons.Unchanged : SkipReasons.Injected,
            null, patch, desired, warnings, selection.Sidecars);
    }
}
