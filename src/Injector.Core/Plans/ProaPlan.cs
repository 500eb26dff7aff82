using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// Proa: wraps the target container's command so it starts after the sidecars are ready and stops them when it
/// exits. An init container copies the proa binary into a shared volume; the command becomes
/// <c>/sidecars/proa/proa [--shutdown-http-get URL]... -- original command and args</c>. The original command and
/// args are recorded in the status, so a second pass restores them before wrapping again (never wraps twice).
/// </summary>
public sealed class ProaPlan : ISidecarPlan
{
    public const string InitContainerName = ProaContract.InitContainerName;
    public const string VolumeName = ProaContract.VolumeName;
    public const string MountPath = ProaContract.MountPath;
    public const string BinaryPath = ProaContract.BinaryPath;
    public const string ImageBinaryPath = ProaContract.ImageBinaryPath;

    public string Name => SidecarNames.Proa;

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

        var command = target["command"] as JsonArray;
        var annotated = context.Annotations.GetFirst(AnnotationKeys.ProaCommand);
        JsonArray originalCommand;
        if (command is { Count: > 0 })
        {
            originalCommand = command;
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

            originalCommand = parsed;
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

        var pod = context.Pod;
        pod.AddVolume(new JsonObject
        {
            ["name"] = VolumeName,
            ["emptyDir"] = new JsonObject { ["sizeLimit"] = "64Mi" },
        });

        var init = context.NewContainer(Name, InitContainerName);
        init["command"] = new JsonArray(ImageBinaryPath, ProaContract.CopyToOption, MountPath);
        init["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = VolumeName, ["mountPath"] = MountPath });
        pod.AddInitContainer(init);

        var args = new JsonArray();
        foreach (var url in gets)
        {
            args.Add((JsonNode)ProaContract.ShutdownHttpGetOption);
            args.Add((JsonNode)url);
        }

        foreach (var url in posts)
        {
            args.Add((JsonNode)ProaContract.ShutdownHttpPostOption);
            args.Add((JsonNode)url);
        }

        args.Add((JsonNode)ProaContract.CommandSeparator);
        foreach (var part in originalCommand)
        {
            args.Add(part?.DeepClone());
        }

        if (target["args"] is JsonArray originalArgs)
        {
            foreach (var part in originalArgs)
            {
                args.Add(part?.DeepClone());
            }
        }

        pod.SetField(target, "command", new JsonArray(BinaryPath));
        pod.SetField(target, "args", args);
        pod.AddEnv(target, ServiceAccountToken.FieldRefEnv(ProaContract.PodNameVariable, "metadata.name"));
        pod.AddEnv(target, ServiceAccountToken.FieldRefEnv(ProaContract.PodNamespaceVariable, "metadata.namespace"));
        pod.AddEnv(target, AppUpPlan.Env(ProaContract.ContainerNameVariable, targetName));
        pod.AddVolumeMount(target, new JsonObject { ["name"] = VolumeName, ["mountPath"] = MountPath, ["readOnly"] = true });
        if (ServiceAccountToken.AutomountDisabled(pod))
        {
            // proa runs inside the app container, so the token it needs is visible to the app too.
            context.Warnings.Add($"pod sets automountServiceAccountToken: false; a service account token was mounted into container '{targetName}' because proa watches the pod");
            ServiceAccountToken.MountIfNeeded(pod, target, recordOnTarget: true);
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
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                error = $"annotation {key}: '{part}' is not an absolute http(s) URL; use a comma-separated list such as http://localhost:15000/quitquitquit";
                return urls;
            }

            urls.Add(part);
        }

        return urls;
    }

    /// <summary>A JSON array of strings, or a whitespace-separated command line without quoting.</summary>
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
            catch (JsonException)
            {
            }

            error = $"annotation {AnnotationKeys.ProaCommand}: '{value}' is not a JSON array of strings; use for example '[\"/app/server\", \"--flag\"]' or '/app/server --flag'";
            return null;
        }

        return new JsonArray(value.Split(' ', '\t').Where(s => s.Length > 0).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
    }
}
