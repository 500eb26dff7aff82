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

        // Identity is tracked down to single containers, so the diff skips everything this pass did not touch.
        var editor = new PodEditor(TrackedClone.Create(pod, depth: 4));
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
        var desiredAnnotations = editor.GetOrAddObject(desiredMeta, "annotations");
        var desiredLabels = editor.GetOrAddObject(desiredMeta, "labels");
        if (selection.Sidecars.Count > 0)
        {
            editor.Status.Revision = config.Revision;
            editor.Status.Mode = mode == SidecarMode.Native ? "native" : "classic";
            editor.Status.Sidecars.AddRange(selection.Sidecars);
            desiredAnnotations[AnnotationKeys.Status] = editor.Status.ToJson();
            desiredLabels[AnnotationKeys.InjectedLabel] = "true";
            editor.Changed(desiredAnnotations);
            editor.Changed(desiredLabels);
        }
        else
        {
            desiredAnnotations.Remove(AnnotationKeys.Status);
            editor.Changed(desiredAnnotations);
            if (desiredLabels.Remove(AnnotationKeys.InjectedLabel) && desiredLabels.Count == 0)
            {
                desiredMeta.Remove("labels");
            }

            editor.Changed(desiredMeta);
        }

        editor.RemoveEmptyCollectionsAbsentIn(pod);
        var patch = JsonPatchDiff.Create(pod, editor.Pod, editor.Tracking);
        return new InjectionResult(InjectionDecision.Injected, patch.Count == 0 ? SkipReasons.Unchanged : SkipReasons.Injected,
            null, patch, editor.Pod, warnings, selection.Sidecars);
    }
}
