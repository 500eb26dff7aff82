using System.Globalization;
using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// Shawarma: tells the app whether its pod is behind its Service. Reads both our annotations and the original
/// shawarma-webhook's (<c>shawarma.centeredge.io/*</c>) so existing workloads are injected unchanged. Every value
/// that ends up in its environment is checked against the syntax Kubernetes uses for it, so no annotation can add
/// a line or a variable of its own.
/// </summary>
public sealed class ShawarmaPlan : ISidecarPlan
{
    public const string ContainerName = ShawarmaContract.ContainerName;
    public const int DefaultListenPort = ShawarmaContract.DefaultListenPort;
    public const string DefaultUrl = ShawarmaContract.DefaultUrl;

    private static readonly string[] LogLevels = ["panic", "fatal", "error", "warn", "info", "debug", "trace"];

    public string Name => SidecarNames.Shawarma;

    public SidecarFootprint Footprint { get; } = new(
        [ContainerName],
        [ServiceAccountToken.Reserved],
        [
            ShawarmaContract.ServiceVariable, ShawarmaContract.ServiceLabelsVariable, ShawarmaContract.UrlVariable, ShawarmaContract.ListenPortVariable,
            ShawarmaContract.DisableNotifierVariable, ShawarmaContract.LogLevelVariable, ShawarmaContract.PodNameVariable, ShawarmaContract.PodNamespaceVariable,
        ],
        new Dictionary<string, Func<string, JsonObject>>(),
        new Dictionary<string, Func<JsonNode, bool>>(),
        container => SidecarFootprint.HasEnv(container, ShawarmaContract.UrlVariable, ShawarmaContract.ListenPortVariable));

    public string? Apply(InjectionContext context)
    {
        var a = context.Annotations;
        var service = a.GetFirst(AnnotationKeys.ShawarmaService, AnnotationKeys.LegacyShawarmaServiceName);
        var labels = a.GetFirst(AnnotationKeys.ShawarmaServiceLabels, AnnotationKeys.LegacyShawarmaServiceLabels);
        if (string.IsNullOrEmpty(service) && string.IsNullOrEmpty(labels))
        {
            return $"annotation {AnnotationKeys.ShawarmaService} (a Service name) or {AnnotationKeys.ShawarmaServiceLabels} (k=v,k2=v2) is required for shawarma";
        }

        if (!string.IsNullOrEmpty(service) && !AnnotationValues.IsServiceName(service))
        {
            var key = a.Contains(AnnotationKeys.ShawarmaService) ? AnnotationKeys.ShawarmaService : AnnotationKeys.LegacyShawarmaServiceName;
            return $"annotation {key}: {AnnotationValues.Quote(service)} is not a Service name; use lower-case letters, digits and '-', starting with a letter, at most 63 characters (for example web)";
        }

        if (!string.IsNullOrEmpty(labels) && !AnnotationValues.IsLabelSelector(labels))
        {
            var key = a.KeyOf(AnnotationKeys.ShawarmaServiceLabels, AnnotationKeys.LegacyShawarmaServiceLabels);
            return $"annotation {key}: {AnnotationValues.Quote(labels)} is not valid; use comma-separated key=value pairs of label keys and values such as app=web,tier=front";
        }

        var url = a.GetFirst(AnnotationKeys.ShawarmaUrl, AnnotationKeys.LegacyShawarmaStateUrl) ?? DefaultUrl;
        if (!AnnotationValues.IsHttpUrl(url))
        {
            var key = a.KeyOf(AnnotationKeys.ShawarmaUrl, AnnotationKeys.LegacyShawarmaStateUrl);
            return $"annotation {key}: {AnnotationValues.Quote(url)} is not valid; use an absolute http(s) URL such as {DefaultUrl}";
        }

        var port = a.GetPort([AnnotationKeys.ShawarmaListenPort, AnnotationKeys.LegacyShawarmaListenPort], DefaultListenPort, out var portError);
        if (portError is not null)
        {
            return portError;
        }

        var logLevel = (a.GetFirst(AnnotationKeys.ShawarmaLogLevel, AnnotationKeys.LegacyShawarmaLogLevel) ?? ShawarmaContract.DefaultLogLevel).ToLowerInvariant();
        if (!LogLevels.Contains(logLevel))
        {
            return $"annotation {a.KeyOf(AnnotationKeys.ShawarmaLogLevel, AnnotationKeys.LegacyShawarmaLogLevel)}: {AnnotationValues.Quote(logLevel)} is not valid; use one of {string.Join(", ", LogLevels)}";
        }

        var disableText = a.GetFirst(AnnotationKeys.ShawarmaDisableNotifier) ?? "false";
        if (!bool.TryParse(disableText, out var disableNotifier))
        {
            return $"annotation {AnnotationKeys.ShawarmaDisableNotifier}: {AnnotationValues.Quote(disableText)} is not valid; use true or false";
        }

        if (context.EnsureFree(Name, ContainerName) is { } conflict)
        {
            return conflict;
        }

        if (context.Pod.ContainerUsingPort(port) is { } owner)
        {
            return $"cannot inject shawarma on port {port}: container '{owner}' already uses it; set {AnnotationKeys.ShawarmaListenPort} to a free port";
        }

        var sidecar = context.NewContainer(Name, ContainerName);
        sidecar["args"] = new JsonArray("monitor");
        var env = new JsonArray();
        if (!string.IsNullOrEmpty(service))
        {
            env.Add((JsonNode)AppUpPlan.Env(ShawarmaContract.ServiceVariable, service));
        }

        if (!string.IsNullOrEmpty(labels))
        {
            env.Add((JsonNode)AppUpPlan.Env(ShawarmaContract.ServiceLabelsVariable, labels));
        }

        env.Add((JsonNode)AppUpPlan.Env(ShawarmaContract.UrlVariable, url));
        env.Add((JsonNode)AppUpPlan.Env(ShawarmaContract.ListenPortVariable, port.ToString(CultureInfo.InvariantCulture)));
        env.Add((JsonNode)AppUpPlan.Env(ShawarmaContract.DisableNotifierVariable, disableNotifier ? "true" : "false"));
        env.Add((JsonNode)AppUpPlan.Env(ShawarmaContract.LogLevelVariable, logLevel));
        env.Add((JsonNode)ServiceAccountToken.FieldRefEnv(ShawarmaContract.PodNameVariable, "metadata.name"));
        env.Add((JsonNode)ServiceAccountToken.FieldRefEnv(ShawarmaContract.PodNamespaceVariable, "metadata.namespace"));
        sidecar["env"] = env;
        if (ServiceAccountToken.MountIfNeeded(context, sidecar, userContainer: false) is { } tokenError)
        {
            return $"cannot inject shawarma: {tokenError}";
        }

        context.Pod.AddSidecar(sidecar, context.Mode);
        return null;
    }
}
