using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// Proa: wraps the target container's command so it starts after the sidecars are ready and stops them when it
/// exits. An init container copies the proa binary into a shared volume; the command becomes
/// <c>/sidecars/proa/proa [--shutdown-http-get URL]... -- original command and args</c>. A later pass unwraps the
/// current command line (<see cref="ProaCommandLine"/>) before wrapping again, so it never wraps twice and edits
/// made to a copied pod's command line are kept.
/// </summary>
public sealed class ProaPlan : ISidecarPlan
{
    public const string InitContainerName = ProaContract.InitContainerName;
    public const string VolumeName = ProaContract.VolumeName;
    public const string MountPath = ProaContract.MountPath;
    public const string BinaryPath = ProaContract.BinaryPath;
    public const string ImageBinaryPath = ProaContract.ImageBinaryPath;

    private static readonly ReservedVolume Volume = new(VolumeName, MountPath, new JsonObject
    {
        ["emptyDir"] = new JsonObject { ["sizeLimit"] = "64Mi" },
    });

    private static readonly string[] TargetEnvOrder = [ProaContract.PodNameVariable, ProaContract.PodNamespaceVariable, ProaContract.ContainerNameVariable];

    public string Name => SidecarNames.Proa;

    public SidecarFootprint Footprint { get; } = new(
        [InitContainerName],
        [Volume, ServiceAccountToken.Reserved],
        [],
        new Dictionary<string, Func<string, JsonObject>>
        {
            [ProaContract.PodNameVariable] = _ => ServiceAccountToken.FieldRefEnv(ProaContract.PodNameVariable, "metadata.name"),
            [ProaContract.PodNamespaceVariable] = _ => ServiceAccountToken.FieldRefEnv(ProaContract.PodNamespaceVariable, "metadata.namespace"),
            [ProaContract.ContainerNameVariable] = target => AppUpPlan.Env(ProaContract.ContainerNameVariable, target),
        },
        new Dictionary<string, Func<JsonNode, bool>>(),
        container => container["command"] is JsonArray { Count: > 1 } command &&
                     JsonValues.Text(command[0]) == ImageBinaryPath && command.Any(part => JsonValues.Text(part) == ProaContract.CopyToOption));

    public string? Apply(InjectionContext context)
    {
        var target = context.ResolveTarget(AnnotationKeys.ProaContainer, out var targetError);
        if (target is null)
        {
            return $"cannot inject proa: {targetError}";
        }

        var targetName = PodEditor.NameOf(target)!;
        var gets = ParseUrls(context.Annotations.Get(AnnotationKeys.ProaShutdownHttpGet), AnnotationKeys.ProaShutdownHttpGet, out var getError);
        var posts = ParseUrls(context.Annotations.Get(AnnotationKeys.ProaShutdownHttpPost), AnnotationKeys.ProaShutdownHttpPost, out var postError);
        if ((getError ?? postError) is { } urlError)
        {
            return urlError;
        }

        var pod = context.Pod;
        var (command, args) = pod.CommandLine(target);
        var annotated = context.Annotations.GetFirst(AnnotationKeys.ProaCommand);
        JsonArray wrapped;
        if (command is { Count: > 0 })
        {
            wrapped = command;
            if (!string.IsNullOrEmpty(annotated))
            {
                context.Warnings.Add($"annotation {AnnotationKeys.ProaCommand} ignored: container '{targetName}' sets its own command");
            }
        }
        else if (!string.IsNullOrEmpty(annotated))
        {
            var parsed = ParseCommand(annotated, out var commandError);
            if (parsed is null)
            {
                return commandError;
            }

            wrapped = parsed;
        }
        else
        {
            return $"cannot inject proa into container '{targetName}': it has no command, and the webhook cannot see the image's ENTRYPOINT. " +
                   $"Either set command in the container spec, or set annotation {AnnotationKeys.ProaCommand} to the image's entrypoint, for example '[\"/app/server\"]'";
        }

        if (context.EnsureFree(Name, InitContainerName, VolumeName) is { } conflict)
        {
            return conflict;
        }

        pod.AddVolume(Volume.Create());

        var init = context.NewContainer(Name, InitContainerName);
        init["command"] = new JsonArray(ImageBinaryPath, ProaContract.CopyToOption, MountPath);
        init["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = VolumeName, ["mountPath"] = MountPath });
        pod.AddInitContainer(init);

        var proaArgs = new JsonArray();
        foreach (var url in gets)
        {
            proaArgs.Add((JsonNode)ProaContract.ShutdownHttpGetOption);
            proaArgs.Add((JsonNode)url);
        }

        foreach (var url in posts)
        {
            proaArgs.Add((JsonNode)ProaContract.ShutdownHttpPostOption);
            proaArgs.Add((JsonNode)url);
        }

        proaArgs.Add((JsonNode)ProaContract.CommandSeparator);
        foreach (var part in wrapped)
        {
            proaArgs.Add(part?.DeepClone());
        }

        foreach (var part in args ?? [])
        {
            proaArgs.Add(part?.DeepClone());
        }

        pod.SetCommandLine(target, new JsonArray(BinaryPath), proaArgs, command, args);
        foreach (var name in TargetEnvOrder)
        {
            pod.AddEnv(target, Footprint.TargetEnv[name](targetName));
        }

        if (pod.AddVolumeMount(target, new JsonObject { ["name"] = VolumeName, ["mountPath"] = MountPath, ["readOnly"] = true }) is { } mountError)
        {
            return $"cannot inject proa: {mountError}";
        }

        if (ServiceAccountToken.AutomountDisabled(pod))
        {
            // proa runs inside the app container, so the token it needs is visible to the app too.
            context.Warnings.Add($"pod sets automountServiceAccountToken: false; a service account token was mounted into container '{targetName}' because proa watches the pod");
            if (ServiceAccountToken.MountIfNeeded(context, target, userContainer: true) is { } tokenError)
            {
                return $"cannot inject proa: {tokenError}";
            }
        }

        return null;
    }

    private static List<string> ParseUrls(string? value, string key, out string? error)
    {
        error = null;
        var urls = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return urls;
        }

        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!AnnotationValues.IsHttpUrl(part))
            {
                error = $"annotation {key}: {AnnotationValues.Quote(part)} is not an absolute http(s) URL; use a comma-separated list such as http://localhost:15000/quitquitquit";
                return urls;
            }

            urls.Add(part);
        }

        return urls;
    }

    /// <summary>A JSON array of strings, or a command line split on whitespace (no quoting).</summary>
    private static JsonArray? ParseCommand(string value, out string? error)
    {
        error = null;
        if (value.StartsWith('['))
        {
            try
            {
                if (JsonNode.Parse(value) is JsonArray array && array.Count > 0 && array.All(n => n is JsonValue v && v.TryGetValue<string>(out _)))
                {
                    return array;
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
            {
            }

            error = $"annotation {AnnotationKeys.ProaCommand}: {AnnotationValues.Quote(value)} is not a JSON array of strings; use for example '[\"/app/server\", \"--flag\"]' or '/app/server --flag'";
            return null;
        }

        return new JsonArray(value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
    }
}
