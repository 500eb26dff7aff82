using System.Globalization;
using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// Shawarma: tells the app whether its pod is behind its Service. Reads both our annotations and the original
/// shawarma-webhook's (<c>shawarma.centeredge.io/*</c>) so existing workloads are injected unchanged.
/// </summary>
public sealed class ShawarmaPlan : ISidecarPlan
{
    public const string ContainerName = ShawarmaContract.ContainerName;
    public const int DefaultListenPort = ShawarmaContract.DefaultListenPort;
    public const string DefaultUrl = ShawarmaContract.DefaultUrl;

    private static readonly string[] LogLevels = ["panic", "fatal", "error", "warn", "info", "debug", "trace"];

    public string Name => SidecarNames.Shawarma;

    public string? Apply(InjectionContext context)
    {
        var a = context.Annotations;
        var service = a.GetFirst(AnnotationKeys.ShawarmaService, AnnotationKeys.LegacyShawarmaServiceName);
        var labels = a.GetFirst(AnnotationKeys.ShawarmaServiceLabels, AnnotationKeys.LegacyShawarmaServiceLabels);
        if (string.IsNullOrEmpty(service) && string.IsNullOrEmpty(labels))
        {
            return $"annotation {AnnotationKeys.ShawarmaService} (a Service name) or {AnnotationKeys.ShawarmaServiceLabels} (k=v,k2=v2) is required for shawarma";
        }

        if (!string.IsNullOrEmpty(labels) && !ValidLabels(labels))
        {
            return $"annotation {AnnotationKeys.ShawarmaServiceLabels}: '{labels}' is not valid; use comma-separated key=value pairs such as app=web,tier=front";
        }

        var url = a.GetFirst(AnnotationKeys.ShawarmaUrl, AnnotationKeys.LegacyShawarmaStateUrl) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"annotation {AnnotationKeys.ShawarmaUrl}: '{url}' is not valid; use an absolute http(s) URL such as {DefaultUrl}";
        }

        var port = a.GetPort([AnnotationKeys.ShawarmaListenPort, AnnotationKeys.LegacyShawarmaListenPort], DefaultListenPort, out var portError);
        if (portError is not null)
        {
            return portError;
        }

        var logLevel = (a.GetFirst(AnnotationKeys.ShawarmaLogLevel, AnnotationKeys.LegacyShawarmaLogLevel) ?? ShawarmaContract.DefaultLogLevel).ToLowerInvariant();
        if (!LogLevels.Contains(logLevel))
        {
            return $"annotation {AnnotationKeys.ShawarmaLogLevel}: '{logLevel}' is not valid; use one of {string.Join(", ", LogLevels)}";
        }

        var disableText = a.GetFirst(AnnotationKeys.ShawarmaDisableNotifier) ?? "false";
        if (!bool.TryParse(disableText, out var disableNotifier))
        {
            return $"annotation {AnnotationKeys.ShawarmaDisableNotifier}: '{disableText}' is not valid; use true or false";
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
        ServiceAccountToken.MountIfNeeded(context.Pod, sidecar, recordOnTarget: false);
        context.Pod.AddSidecar(sidecar, context.Mode);
        return null;
    }

    private static bool ValidLabels(string labels) =>
        labels.Split(',', StringSplitOptions.TrimEntries).All(pair =>
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            return eq > 0 && eq < pair.Length - 1 && pair.IndexOf('=', eq + 1) < 0;
        });
}
