using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Plans;

namespace Injector.Core.Engine;

/// <summary>
/// What an earlier pass injected, as far as the pod still shows it. The status annotation says what was added,
/// but anyone who creates a pod can write it, so an entry is trusted only when
/// <list type="bullet">
/// <item>it names something a plan adds (a status naming <c>istio-proxy</c> is ignored, with a warning);</item>
/// <item>a container still looks like the injector's: it runs the configured image, another tag or digest of the
/// configured repository, or the pod's allowed image override; or it runs the image the status recorded for that
/// sidecar (a config that moved registries) and has the sidecar's shape (its env or command), so a forged status
/// cannot claim a user's container by recording its image; a volume still is exactly what the plan adds;</item>
/// <item>a field of a user container still holds what was written (leaf by leaf: the API server's defaulting may
/// add leaves), proa's wrap still has its shape, an env var still has the value the plan writes, a mount still
/// points at the plan's path.</item>
/// </list>
/// Anything else is left as it is. Reading is linear: every name is looked up in the pod's indexes once.
/// </summary>
internal sealed class PreviousInjection
{
    private static readonly string[] CommandFields = ["command", "args"];

    private PreviousInjection(InjectionStatus? status)
    {
        Status = status;
    }

    public static PreviousInjection Empty { get; } = new(null);

    public InjectionStatus? Status { get; }

    public Dictionary<string, OwnedContainer> Containers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, OwnedVolume> Volumes { get; } = new(StringComparer.Ordinal);

    public Dictionary<JsonObject, OwnedTarget> Targets { get; } = new(ReferenceEqualityComparer.Instance);

    public SidecarRecord? RecordFor(string sidecar) =>
        Status is not null && Status.Injected.TryGetValue(sidecar, out var record) ? record : null;

    public bool Owns(JsonObject container) => Containers.TryGetValue(JsonValues.Text(container["name"]) ?? string.Empty, out var owned) && ReferenceEquals(owned.Node, container);

    public static PreviousInjection Read(
        string? statusText, PodEditor pod, IReadOnlyCollection<ISidecarPlan> plans, InjectorConfig config, PodAnnotations annotations,
        List<string> warnings, WorkMeter work)
    {
        if (statusText is null)
        {
            return Empty;
        }

        var status = InjectionStatus.TryParse(statusText, out var error, out var read);
        work.Add(read);
        if (status is null)
        {
            warnings.Add($"annotation {AnnotationKeys.Status} could not be read ({error}); nothing it lists was removed, and it was replaced");
            return Empty;
        }

        var previous = new PreviousInjection(status);
        var ignored = new CappedWarnings(warnings, AnnotationKeys.Status);
        var containerPlans = new Dictionary<string, ISidecarPlan>(StringComparer.Ordinal);
        var volumes = new Dictionary<string, ReservedVolume>(StringComparer.Ordinal);
        var targetEnv = new Dictionary<string, Func<string, JsonObject>>(StringComparer.Ordinal);
        var targetFields = new Dictionary<string, Func<JsonNode, bool>>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            foreach (var name in plan.Footprint.Containers)
            {
                containerPlans[name] = plan;
            }

            foreach (var volume in plan.Footprint.Volumes)
            {
                volumes[volume.Name] = volume;
            }

            foreach (var (name, entry) in plan.Footprint.TargetEnv)
            {
                targetEnv[name] = entry;
            }

            foreach (var (path, recognise) in plan.Footprint.TargetFields)
            {
                targetFields[path] = recognise;
            }
        }

        previous.ReadContainers(pod, PodEditor.ContainersKey, status.Containers, containerPlans, config, annotations, ignored, work);
        previous.ReadContainers(pod, PodEditor.InitContainersKey, status.InitContainers, containerPlans, config, annotations, ignored, work);
        foreach (var name in status.Volumes)
        {
            work.Step();
            if (!volumes.TryGetValue(name, out var reserved))
            {
                ignored.Add($"{AnnotationKeys.Status} lists volume {AnnotationValues.Quote(name)}, which the injector never adds; it was left alone");
            }
            else if (pod.TryGetVolume(name, out var volume) && !previous.Volumes.ContainsKey(name))
            {
                if (reserved.Matches(volume))
                {
                    previous.Volumes[name] = new OwnedVolume(volume);
                }
                else
                {
                    ignored.Add($"volume '{name}' is listed in {AnnotationKeys.Status} but is not the one the injector adds; it was left alone");
                }
            }
        }

        foreach (var (name, record) in status.Targets)
        {
            work.Step();
            if (pod.FindAppContainer(name) is { } container && !previous.Owns(container))
            {
                var target = ReadTarget(pod, name, container, record, volumes, targetEnv, targetFields, ignored, work);
                if (!target.IsEmpty)
                {
                    previous.Targets[container] = target;
                }
            }
        }

        ignored.Flush();
        return previous;
    }

    private void ReadContainers(
        PodEditor pod, string list, List<string> names, Dictionary<string, ISidecarPlan> plans, InjectorConfig config, PodAnnotations annotations,
        CappedWarnings ignored, WorkMeter work)
    {
        foreach (var name in names)
        {
            work.Step();
            if (!plans.TryGetValue(name, out var plan))
            {
                ignored.Add($"{AnnotationKeys.Status} lists container {AnnotationValues.Quote(name)}, which the injector never adds; it was left alone");
                continue;
            }

            if (Containers.ContainsKey(name) || !pod.TryGetContainer(list, name, out var container))
            {
                continue;
            }

            var image = JsonValues.Text(container["image"]) ?? string.Empty;
            if (LooksLikeOurImage(image, plan.Name, config, annotations) ||
                (image.Length > 0 && image == RecordFor(plan.Name)?.Image && plan.Footprint.Recognises(container)))
            {
                Containers[name] = new OwnedContainer(container, list, plan.Name);
            }
            else
            {
                ignored.Add($"container '{name}' is listed in {AnnotationKeys.Status} but runs {AnnotationValues.Quote(image)}, not the injector's {plan.Name} image; it was left alone");
            }
        }
    }

    private static bool LooksLikeOurImage(string image, string sidecar, InjectorConfig config, PodAnnotations annotations)
    {
        // Not the image the status recorded: a forged status could then claim any container of that name.
        var configured = config.Sidecars[sidecar].Image;
        if (image == configured || Repository(image) == Repository(configured))
        {
            return true;
        }

        return config.AllowImageOverride && annotations.GetFirst(AnnotationKeys.ImageOverride(sidecar)) is { Length: > 0 } requested && requested == image;
    }

    /// <summary>The image reference without tag or digest.</summary>
    private static string Repository(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            image = image[..at];
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }

    private static OwnedTarget ReadTarget(
        PodEditor pod, string name, JsonObject container, TargetRecord record, Dictionary<string, ReservedVolume> volumes,
        Dictionary<string, Func<string, JsonObject>> targetEnv, Dictionary<string, Func<JsonNode, bool>> targetFields,
        CappedWarnings ignored, WorkMeter work)
    {
        var target = new OwnedTarget(name, container);
        foreach (var (path, original) in record.Set)
        {
            work.Step();
            if (CommandFields.Contains(path))
            {
                continue;
            }

            if (!targetFields.TryGetValue(path, out var recognise))
            {
                ignored.Add($"{AnnotationKeys.Status} lists field {AnnotationValues.Quote(path)} of container '{name}', which the injector never sets; it was left alone");
                continue;
            }

            // Ours only if it still looks like what the plan writes and, when the status says what was written,
            // still holds it: a status cannot claim (and so restore over) a value the plan would never write.
            var current = PodEditor.GetField(container, path);
            var ours = current is not null && recognise(current) && (!record.Wrote.TryGetValue(path, out var wrote) || JsonValues.Contains(current, wrote));
            if (ours)
            {
                target.Fields[path] = new OwnedField(original?.DeepClone());
            }
            else if (current is not null)
            {
                ignored.Add($"container '{name}': {path} was changed since the injector set it; the current value is kept");
            }
        }

        if (record.Set.ContainsKey("command") || record.Set.ContainsKey("args"))
        {
            if (record.Set.TryGetValue("command", out var command) && record.Set.TryGetValue("args", out var args) && ProaCommandLine.IsWrapped(container))
            {
                target.CommandLine = new OwnedCommandLine(command, args);
            }
            else
            {
                ignored.Add($"container '{name}': command and args were changed since proa wrapped them; the current command line is kept");
            }
        }

        var env = record.Env.Count > 0 ? Index(container["env"] as JsonArray, work) : null;
        foreach (var envName in record.Env)
        {
            work.Step();
            if (!targetEnv.TryGetValue(envName, out var expected))
            {
                ignored.Add($"{AnnotationKeys.Status} lists env var {AnnotationValues.Quote(envName)} of container '{name}', which the injector never adds; it was left alone");
            }
            else if (env!.TryGetValue(envName, out var entry))
            {
                if (JsonValues.Contains(entry, expected(name)))
                {
                    target.Env[envName] = false;
                }
                else
                {
                    ignored.Add($"container '{name}': env var {envName} was changed since the injector set it; it was left alone");
                }
            }
        }

        var mounts = record.VolumeMounts.Count > 0 ? Index(container["volumeMounts"] as JsonArray, work) : null;
        foreach (var mountName in record.VolumeMounts)
        {
            work.Step();
            if (!volumes.TryGetValue(mountName, out var reserved))
            {
                ignored.Add($"{AnnotationKeys.Status} lists volume mount {AnnotationValues.Quote(mountName)} of container '{name}', which the injector never adds; it was left alone");
            }
            else if (mounts!.TryGetValue(mountName, out var mount) && JsonValues.Text(mount["mountPath"]) == reserved.MountPath &&
                     (!pod.TryGetVolume(mountName, out var volume) || reserved.Matches(volume)))
            {
                target.Mounts[mountName] = false;
            }
        }

        return target;
    }

    /// <summary>Entries of a list of named objects by name (the first of duplicates).</summary>
    internal static Dictionary<string, JsonObject> Index(JsonArray? list, WorkMeter work)
    {
        var index = new Dictionary<string, JsonObject>(list?.Count ?? 0, StringComparer.Ordinal);
        if (list is null)
        {
            return index;
        }

        foreach (var item in list)
        {
            work.Step();
            if (item is JsonObject obj && JsonValues.Text(obj["name"]) is { } name)
            {
                index.TryAdd(name, obj);
            }
        }

        return index;
    }
}
