using System.Globalization;
using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Patching;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// The fast path for the most common review: appup alone, into a pod no pass has injected yet. It writes the RFC 6902
/// patch straight from <see cref="AppUpFragments"/> and the few facts of the pod that place them (the target's index
/// and fields, which lists and labels exist), with no clone of the pod, no plan tree and no diff. It answers only
/// when it is sure to produce exactly the operations the tree path would (a differential test compares the two on
/// the golden scenarios and random pods); anything else (a status or labels the injector would replace, a name or
/// port in the way, a readinessProbe or preStop to keep, an image override, a container the reader did not leave
/// unread) returns null and the tree path answers.
/// </summary>
internal static class FreshAppUpInjection
{
    private const string StatusPath = "/metadata/annotations/sidecars.dev~1status";
    private const string LabelsPath = "/metadata/labels";
    private const string InjectedLabelPath = "/metadata/labels/sidecars.dev~1injected";
    private const string ReadinessProbeField = "readinessProbe";
    private const string PreStopField = "lifecycle.preStop";

    private static readonly string[] SidecarsInjected = [SidecarNames.AppUp];

    public static InjectionResult? TryInject(JsonObject pod, InjectorConfig config, PodAnnotations annotations, SidecarMode mode, List<string> warnings)
    {
        // The plan's annotation reads, in its order; a bad value is the tree path's denial to write.
        if (annotations.Contains(AnnotationKeys.ImageOverride(SidecarNames.AppUp)))
        {
            return null;
        }

        var port = annotations.GetPort(AnnotationKeys.AppUpPort, AppUpPlan.DefaultPort, out var portError);
        var initial = (annotations.GetFirst(AnnotationKeys.AppUpInitial) ?? "up").ToLowerInvariant();
        if (portError is not null || initial is not ("up" or "down"))
        {
            return null;
        }

        if (pod["metadata"] is not JsonObject metadata || metadata["annotations"] is not JsonObject podAnnotations
            || podAnnotations.ContainsKey(AnnotationKeys.Status) || pod["spec"] is not JsonObject spec)
        {
            return null;
        }

        // Labels: absent (added whole), or an object that lacks the label (added) or already says "true" (left).
        JsonObject? labels = null;
        var addLabel = true;
        if (metadata.TryGetPropertyValue("labels", out var labelsNode))
        {
            if ((labels = labelsNode as JsonObject) is null)
            {
                return null;
            }

            if (labels.TryGetPropertyValue(AnnotationKeys.InjectedLabel, out var label))
            {
                if (JsonValues.Text(label) != "true")
                {
                    return null;
                }

                addLabel = false;
            }
        }

        if (!TryList(spec, PodEditor.ContainersKey, port, out var containers) || containers is null
            || !TryList(spec, PodEditor.InitContainersKey, port, out var initContainers)
            || !TryList(spec, "ephemeralContainers", port: null, out _)
            || !TryVolumes(spec, out var volumes))
        {
            return null;
        }

        if (FindTarget(containers, annotations.GetFirst(AnnotationKeys.AppUpContainer)) is not { Name: { } targetName } target
            || !AppUpTargetShape.TryScan(target.Utf8.Span, out var shape))
        {
            return null;
        }

        var fragments = AppUpFragments.For(config, mode, port, initial);
        var status = fragments.StatusValue(targetName, static (f, name) => Status(f, name));
        var ops = new List<JsonPatchOperation>(8);
        for (int i = 0; i < pod.Count; i++)
        {
            switch (pod.GetAt(i).Key)
            {
                case "metadata":
                    AddMetadata(ops, metadata, status, labels is null ? fragments.LabelsValue : null, addLabel);
                    break;
                case "spec":
                    AddSpec(ops, spec, fragments, mode, target.Index, shape, containers, volumes, initContainers);
                    break;
            }
        }

        return new InjectionResult(InjectionDecision.Injected, SkipReasons.Injected, null, ops, null, warnings, SidecarsInjected);
    }

    /// <summary>The status annotation, built as the tree path builds it (same records, same order, same writer).</summary>
    private static string Status(AppUpFragments fragments, string targetName)
    {
        var mode = fragments.Mode;
        string hash;
        using (var fingerprint = new Fingerprint())
        {
            // PodEditor's order: SetField readinessProbe, SetField lifecycle.preStop, AddVolumeMount, then EndSidecar.
            fingerprint.AddRaw(targetName, ReadinessProbeField, fragments.HashedReadinessProbe);
            fingerprint.AddRaw(targetName, PreStopField, fragments.HashedPreStop);
            fingerprint.AddRaw(targetName, "volumeMounts", fragments.HashedMount);
            fingerprint.AddRaw("container", fragments.HashedSidecar);
            fingerprint.AddRaw("volume", fragments.HashedVolume);
            hash = fingerprint.Finish();
        }

        var status = new InjectionStatus { Revision = fragments.Revision, Mode = mode == SidecarMode.Native ? "native" : "classic" };
        var target = status.For(targetName);
        target.Set[ReadinessProbeField] = null;
        target.Wrote[ReadinessProbeField] = fragments.ReadinessProbe;
        target.Set[PreStopField] = null;
        target.Wrote[PreStopField] = fragments.PreStop;
        target.VolumeMounts.Add(AppUpPlan.VolumeName);
        status.Volumes.Add(AppUpPlan.VolumeName);
        (mode == SidecarMode.Native ? status.InitContainers : status.Containers).Add(AppUpPlan.ContainerName);
        status.Sidecars.Add(SidecarNames.AppUp);
        status.Injected[SidecarNames.AppUp] = new SidecarRecord { Image = fragments.Image, Revision = fragments.ConfigRevision, Hash = hash };
        return status.ToJson();
    }

    /// <summary>Metadata's operations in the order the diff walks it: its keys as they are, then added ones.</summary>
    private static void AddMetadata(List<JsonPatchOperation> ops, JsonObject metadata, JsonNode status, JsonNode? newLabels, bool addLabel)
    {
        for (int i = 0; i < metadata.Count; i++)
        {
            switch (metadata.GetAt(i).Key)
            {
                case "annotations":
                    ops.Add(JsonPatchOperation.Add(StatusPath, status));
                    break;
                case "labels" when addLabel:
                    ops.Add(JsonPatchOperation.Add(InjectedLabelPath, "true"));
                    break;
            }
        }

        if (newLabels is not null)
        {
            ops.Add(JsonPatchOperation.Add(LabelsPath, newLabels));
        }
    }

    private static void AddSpec(List<JsonPatchOperation> ops, JsonObject spec, AppUpFragments fragments, SidecarMode mode, int targetIndex,
        AppUpTargetShape shape, JsonArray containers, JsonArray? volumes, JsonArray? initContainers)
    {
        var native = mode == SidecarMode.Native;
        for (int i = 0; i < spec.Count; i++)
        {
            switch (spec.GetAt(i).Key)
            {
                case PodEditor.ContainersKey:
                    AddTarget(ops, fragments, Index(PodEditor.ContainersKey, targetIndex), shape);
                    if (!native)
                    {
                        ops.Add(JsonPatchOperation.Add(Index(PodEditor.ContainersKey, containers.Count), fragments.SidecarValue));
                    }

                    break;
                case PodEditor.VolumesKey:
                    ops.Add(JsonPatchOperation.Add(Index(PodEditor.VolumesKey, volumes!.Count), fragments.VolumeValue));
                    break;
                case PodEditor.InitContainersKey when native:
                    ops.Add(JsonPatchOperation.Add(Index(PodEditor.InitContainersKey, initContainers!.Count), fragments.SidecarValue));
                    break;
            }
        }

        // Lists the pod did not have, in the order the tree path appends them (volumes first, then the sidecar).
        if (volumes is null)
        {
            ops.Add(JsonPatchOperation.Add("/spec/" + PodEditor.VolumesKey, fragments.VolumesValue));
        }

        if (native && initContainers is null)
        {
            ops.Add(JsonPatchOperation.Add("/spec/" + PodEditor.InitContainersKey, fragments.SidecarsValue));
        }
    }

    /// <summary>The target's operations: existing fields in its key order, then the ones added, in the plan's order.</summary>
    private static void AddTarget(List<JsonPatchOperation> ops, AppUpFragments fragments, string container, AppUpTargetShape shape)
    {
        if (shape.LifecycleFirst || !shape.HasVolumeMounts)
        {
            AddExistingLifecycle(ops, fragments, container, shape);
            AddExistingMounts(ops, fragments, container, shape);
        }
        else
        {
            AddExistingMounts(ops, fragments, container, shape);
            AddExistingLifecycle(ops, fragments, container, shape);
        }

        ops.Add(JsonPatchOperation.Add(container + "/readinessProbe", fragments.ReadinessProbeValue));
        if (!shape.HasLifecycle)
        {
            ops.Add(JsonPatchOperation.Add(container + "/lifecycle", fragments.LifecycleValue));
        }

        if (!shape.HasVolumeMounts)
        {
            ops.Add(JsonPatchOperation.Add(container + "/volumeMounts", fragments.MountsValue));
        }
    }

    private static void AddExistingLifecycle(List<JsonPatchOperation> ops, AppUpFragments fragments, string container, AppUpTargetShape shape)
    {
        if (shape.HasLifecycle)
        {
            ops.Add(JsonPatchOperation.Add(container + "/lifecycle/preStop", fragments.PreStopValue));
        }
    }

    private static void AddExistingMounts(List<JsonPatchOperation> ops, AppUpFragments fragments, string container, AppUpTargetShape shape)
    {
        if (shape.HasVolumeMounts)
        {
            ops.Add(JsonPatchOperation.Add(container + "/volumeMounts/" + shape.MountCount.ToString(CultureInfo.InvariantCulture), fragments.MountValue));
        }
    }

    private static string Index(string list, int index) => "/spec/" + list + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A container list as the reader leaves it: absent, or a list whose object items are unread, none named appup
    /// and (unless <paramref name="port"/> is null) none using appup's port.
    /// </summary>
    private static bool TryList(JsonObject spec, string key, int? port, out JsonArray? list)
    {
        list = null;
        if (!spec.TryGetPropertyValue(key, out var node))
        {
            return true;
        }

        if ((list = node as JsonArray) is null)
        {
            return false;
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (!TryEntry(list[i], out var raw))
            {
                return false;
            }

            if (raw is not null && (raw.Name == AppUpPlan.ContainerName || (port is { } used && raw.Ports.Contains(used))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryVolumes(JsonObject spec, out JsonArray? list)
    {
        list = null;
        if (!spec.TryGetPropertyValue(PodEditor.VolumesKey, out var node))
        {
            return true;
        }

        if ((list = node as JsonArray) is null)
        {
            return false;
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (!TryEntry(list[i], out var raw) || raw?.Name == AppUpPlan.VolumeName)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An item is fine unread (<paramref name="raw"/>) or as a non-object value the engine skips; an opened object is not expected.</summary>
    private static bool TryEntry(JsonNode? item, out RawJson? raw)
    {
        raw = null;
        if (item is JsonObject)
        {
            return false;
        }

        raw = RawJson.Of(item);
        if (raw is not null && raw.Kind != System.Text.Json.JsonValueKind.Object)
        {
            raw = null;
        }

        return true;
    }

    /// <summary>The container appup edits: the one named, or the first (as <see cref="InjectionContext.ResolveTarget"/>).</summary>
    private static RawJson? FindTarget(JsonArray containers, string? wanted)
    {
        for (int i = 0; i < containers.Count; i++)
        {
            if (RawJson.Of(containers[i]) is { Kind: System.Text.Json.JsonValueKind.Object } raw)
            {
                if (string.IsNullOrEmpty(wanted))
                {
                    return raw;
                }

                if (raw.Name == wanted)
                {
                    return raw;
                }
            }
        }

        return null;
    }
}
