using System.Globalization;
using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// AppUp: the readiness switch. Adds the <c>appup</c> sidecar with a shared in-memory volume for its up-file, an
/// <c>httpGet /health</c> readiness probe and a <c>preStop httpGet /down</c> on the target container (no shell needed).
/// </summary>
public sealed class AppUpPlan : ISidecarPlan
{
    public const int DefaultPort = AppUpContract.DefaultPort;
    public const string ContainerName = AppUpContract.ContainerName;
    public const string VolumeName = AppUpContract.VolumeName;
    public const string MountPath = AppUpContract.MountPath;

    private const string ReadinessProbe = "readinessProbe";

    private static readonly ReservedVolume Volume = new(VolumeName, MountPath, new JsonObject
    {
        ["emptyDir"] = new JsonObject { ["medium"] = "Memory", ["sizeLimit"] = "1Mi" },
    });
    private const string PreStop = "lifecycle.preStop";

    public string Name => SidecarNames.AppUp;

    public SidecarFootprint Footprint { get; } = new(
        [ContainerName],
        [Volume],
        [AppUpContract.UpFileVariable, AppUpContract.PortVariable, AppUpContract.InitialVariable],
        new Dictionary<string, Func<string, JsonObject>>(),
        new Dictionary<string, Func<JsonNode, bool>>
        {
            [ReadinessProbe] = node => JsonValues.Text(node["httpGet"]?["path"]) == AppUpContract.HealthPath,
            [PreStop] = node => JsonValues.Text(node["httpGet"]?["path"]) == AppUpContract.DownPath,
        },
        container => SidecarFootprint.HasEnv(container, AppUpContract.UpFileVariable, AppUpContract.PortVariable));

    public string? Apply(InjectionContext context)
    {
        var port = context.Annotations.GetPort(AnnotationKeys.AppUpPort, DefaultPort, out var portError);
        if (portError is not null)
        {
            return portError;
        }

        var initial = (context.Annotations.GetFirst(AnnotationKeys.AppUpInitial) ?? "up").ToLowerInvariant();
        if (initial is not ("up" or "down"))
        {
            return $"annotation {AnnotationKeys.AppUpInitial}: {AnnotationValues.Quote(initial)} is not valid; use up or down";
        }

        var target = context.ResolveTarget(AnnotationKeys.AppUpContainer, out var targetError);
        if (target is null)
        {
            return $"cannot inject appup: {targetError}";
        }

        if (context.EnsureFree(Name, ContainerName, VolumeName) is { } conflict)
        {
            return conflict;
        }

        if (context.Pod.ContainerUsingPort(port) is { } owner)
        {
            return $"cannot inject appup on port {port}: container '{owner}' already uses it; set {AnnotationKeys.AppUpPort} to a free port";
        }

        var pod = context.Pod;
        pod.AddVolume(NewVolume());
        pod.AddSidecar(Complete(context.NewContainer(Name, ContainerName), port, initial), context.Mode);

        var targetName = PodEditor.NameOf(target);
        if (pod.HasUserField(target, ReadinessProbe))
        {
            context.Warnings.Add($"container '{targetName}' already has a readinessProbe; it was kept, so appup's /health does not gate its readiness");
        }
        else
        {
            pod.SetField(target, ReadinessProbe, NewReadinessProbe(port));
        }

        if (pod.HasUserField(target, PreStop))
        {
            context.Warnings.Add($"container '{targetName}' already has a preStop hook; it was kept, so appup is not switched down on termination");
        }
        else
        {
            pod.SetField(target, PreStop, NewPreStop(port));
        }

        // The app may flip its own readiness by touching or removing the file (the original's "shell exec" use).
        return pod.AddVolumeMount(target, NewMount()) is { } mountError
            ? $"cannot inject appup: {mountError}"
            : null;
    }

    internal static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    // What the plan writes, built in one place: Apply uses these, and so does the fresh-injection fast path
    // (FreshAppUpInjection), which serialises them once per config and must write exactly the same bytes.

    /// <summary>Fills in the appup sidecar made by <see cref="InjectionContext.NewContainer"/>.</summary>
    internal static JsonObject Complete(JsonObject sidecar, int port, string initial)
    {
        sidecar["env"] = new JsonArray(
            Env(AppUpContract.UpFileVariable, AppUpContract.UpFilePath),
            Env(AppUpContract.PortVariable, port.ToString(CultureInfo.InvariantCulture)),
            Env(AppUpContract.InitialVariable, initial));
        sidecar["ports"] = new JsonArray(new JsonObject { ["containerPort"] = port, ["protocol"] = "TCP" });
        sidecar["volumeMounts"] = new JsonArray(NewMount());
        return sidecar;
    }

    internal static JsonObject NewVolume() => Volume.Create();

    internal static JsonObject NewMount() => new() { ["name"] = VolumeName, ["mountPath"] = MountPath };

    internal static JsonObject NewReadinessProbe(int port) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = AppUpContract.HealthPath, ["port"] = port },
        ["periodSeconds"] = 2,
        ["timeoutSeconds"] = 1,
        ["successThreshold"] = 1,
        ["failureThreshold"] = 1,
    };

    internal static JsonObject NewPreStop(int port) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = AppUpContract.DownPath, ["port"] = port },
    };
}
