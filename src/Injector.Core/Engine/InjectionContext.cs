using System.Text.Json.Nodes;
using Injector.Core.Configuration;

namespace Injector.Core.Engine;

/// <summary>What a sidecar plan sees: the pod being edited, its annotations, the config and the chosen mode.</summary>
public sealed class InjectionContext
{
    private const int MaxNamesInMessages = 10;

    public InjectionContext(PodEditor pod, PodAnnotations annotations, InjectorConfig config, SidecarMode mode)
    {
        Pod = pod;
        Annotations = annotations;
        Config = config;
        Mode = mode;
    }

    public PodEditor Pod { get; }

    public PodAnnotations Annotations { get; }

    public InjectorConfig Config { get; }

    public SidecarMode Mode { get; }

    /// <summary>Things the user should know (returned as admission warnings); they never block the pod.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>A container with the config's image, pull policy, resources and hardened securityContext.</summary>
    public JsonObject NewContainer(string sidecar, string containerName)
    {
        var settings = Config.Sidecars[sidecar];
        var image = settings.Image;
        var key = AnnotationKeys.ImageOverride(sidecar);
        var requested = Annotations.GetFirst(key);
        if (!string.IsNullOrEmpty(requested))
        {
            if (!Config.AllowImageOverride)
            {
                Warnings.Add($"annotation {key} ignored: the injector config does not allow image overrides (allowImageOverride: false)");
            }
            else if (AnnotationValues.HasWhitespaceOrControl(requested))
            {
                Warnings.Add($"annotation {key} ignored: {AnnotationValues.Quote(requested)} is not an image reference");
            }
            else
            {
                image = requested;
            }
        }

        return NewContainer(Config, sidecar, containerName, image);
    }

    /// <summary>The container <see cref="NewContainer(string, string)"/> makes once the image is chosen.</summary>
    internal static JsonObject NewContainer(InjectorConfig config, string sidecar, string containerName, string image)
    {
        var container = new JsonObject
        {
            ["name"] = containerName,
            ["image"] = image,
            ["imagePullPolicy"] = config.ImagePullPolicy,
        };
        if (config.Sidecars[sidecar].Resources is { } resources)
        {
            container["resources"] = resources.DeepClone();
        }

        container["securityContext"] = config.SecurityContext.DeepClone();
        return container;
    }

    /// <summary>
    /// The user container named by <paramref name="annotationKey"/>, or the first container. The error names the
    /// containers that exist.
    /// </summary>
    public JsonObject? ResolveTarget(string annotationKey, out string? error)
    {
        error = null;
        var wanted = Annotations.GetFirst(annotationKey);
        var count = Pod.AppContainerCount;
        if (string.IsNullOrEmpty(wanted))
        {
            if (count == 0)
            {
                error = "the pod has no containers";
                return null;
            }

            if (Pod.AppContainerName(0) is null)
            {
                error = "the pod's first container has no name";
                return null;
            }

            return Pod.AppContainer(0);
        }

        var match = Pod.FindAppContainer(wanted);
        if (match is null)
        {
            var names = Enumerable.Range(0, Math.Min(count, MaxNamesInMessages)).Select(i => Pod.AppContainerName(i) ?? "(unnamed)").ToList();
            var more = count > MaxNamesInMessages ? $" and {count - MaxNamesInMessages} more" : string.Empty;
            error = $"annotation {annotationKey}: no container named {AnnotationValues.Quote(wanted)}; the pod's containers are {string.Join(", ", names)}{more}";
        }

        return match;
    }

    /// <summary>Checks that the names the plan wants to add are free; the error says which and how to fix it.</summary>
    public string? EnsureFree(string sidecar, string? containerName = null, string? volumeName = null)
    {
        if (containerName is not null && Pod.ContainerNameInUse(containerName))
        {
            return $"cannot inject {sidecar}: the pod already has a container named '{containerName}' that the injector did not add; rename it or remove {sidecar} from {AnnotationKeys.Inject}";
        }

        if (volumeName is not null && Pod.VolumeNameInUse(volumeName))
        {
            return $"cannot inject {sidecar}: the pod already has a volume named '{volumeName}' that the injector did not add; rename it";
        }

        return null;
    }
}
