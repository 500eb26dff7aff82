using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Api;
using k8s;
using k8s.Models;
using Sidecars.Contract;

namespace Canary.Reconciling;

/// <summary>
/// The objects a CanaryApp asks for, built without I/O: the pod template (from <c>image</c> or <c>template</c>,
/// with the app's sidecar annotations passed through so the injector injects canary pods too), its revision (a
/// hash of the canonical template JSON, so only a change to what the pods run starts an analysis), the primary and
/// canary Deployments and the three Services.
/// </summary>
public sealed class DesiredObjects
{
    public const string AppContainerName = "app";
    public const string PortName = "http";

    private DesiredObjects(CanaryApp app, EffectiveSpec spec, V1PodTemplateSpec template, string revision, string image)
    {
        App = app;
        Spec = spec;
        Template = template;
        Revision = revision;
        Image = image;
    }

    public CanaryApp App { get; }

    public EffectiveSpec Spec { get; }

    /// <summary>The pod template both Deployments run (without the role label, which differs).</summary>
    public V1PodTemplateSpec Template { get; }

    /// <summary>10 hex digits of the SHA-256 of the canonical template.</summary>
    public string Revision { get; }

    /// <summary>The image of the app container, for status and messages.</summary>
    public string Image { get; }

    public string Name => App.Metadata.Name;

    public string Namespace => App.Metadata.NamespaceProperty;

    public static string DeploymentName(string app, DeploymentRole role) => role == DeploymentRole.Primary ? $"{app}-primary" : $"{app}-canary";

    public static string ServiceName(string app, DeploymentRole? role) => role switch
    {
        DeploymentRole.Primary => $"{app}-primary",
        DeploymentRole.Canary => $"{app}-canary",
        _ => app,
    };

    public static string RoleValue(DeploymentRole role) => role == DeploymentRole.Primary ? "primary" : "canary";

    public static string? RevisionOf(V1Deployment? d) =>
        d?.Metadata?.Annotations is { } a && a.TryGetValue(CanaryAnnotations.Revision, out var r) ? r : null;

    public static string? ImageOf(V1Deployment? d) => d?.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Image;

    /// <summary>Annotations of the CanaryApp that belong to the sidecar injector (<c>sidecars.dev/inject</c>, the
    /// per-sidecar <c>&lt;sidecar&gt;.sidecars.dev/*</c> keys, the legacy shawarma keys); never the injector's own
    /// status, which describes one pod and must not be copied.</summary>
    public static bool IsSidecarAnnotation(string key) =>
        key != AnnotationKeys.Status &&
        (key.StartsWith("sidecars.dev/", StringComparison.Ordinal) ||
         SidecarNames.All.Any(s => key.StartsWith(s + AnnotationKeys.SidecarKeySuffix, StringComparison.Ordinal)) ||
         key.StartsWith("shawarma.centeredge.io/", StringComparison.Ordinal));

    public static DesiredObjects For(CanaryApp app, EffectiveSpec spec)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(spec);
        var name = app.Metadata.Name;
        V1PodTemplateSpec template;
        if (spec.Template is { } given)
        {
            // A copy: the user's object is never modified.
            template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(given));
            template.Metadata ??= new V1ObjectMeta();
        }
        else
        {
            template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta(),
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = AppContainerName,
                            Image = spec.Image,
                            Ports = [new V1ContainerPort { Name = PortName, ContainerPort = spec.ListenPort, Protocol = "TCP" }],
                        },
                    ],
                },
            };
        }

        var labels = new SortedDictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["app.kubernetes.io/name"] = name,
            [CanaryAnnotations.AppLabel] = name,
        };
        var annotations = new SortedDictionary<string, string>(template.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in app.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (IsSidecarAnnotation(key))
            {
                annotations.TryAdd(key, value); // the template's own value wins
            }
        }

        annotations.Remove(AnnotationKeys.Status);
        template.Metadata.Labels = new Dictionary<string, string>(labels);
        template.Metadata.Annotations = annotations.Count == 0 ? null : new Dictionary<string, string>(annotations);
        template.Metadata.Name = null;
        template.Metadata.NamespaceProperty = null;
        var revision = Hash(template);
        var image = template.Spec.Containers.FirstOrDefault(c => c.Name == AppContainerName)?.Image ?? template.Spec.Containers[0].Image ?? "";
        return new DesiredObjects(app, spec, template, revision, image);
    }

    public V1OwnerReference OwnerReference() => new()
    {
        ApiVersion = CanaryApp.ApiVersionValue,
        Kind = CanaryApp.KindName,
        Name = App.Metadata.Name,
        Uid = App.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public IDictionary<string, string> SelectorLabels(DeploymentRole? role)
    {
        var labels = new Dictionary<string, string> { [CanaryAnnotations.AppLabel] = Name };
        if (role is { } r)
        {
            labels[CanaryAnnotations.RoleLabel] = RoleValue(r);
        }

        return labels;
    }

    private Dictionary<string, string> ObjectLabels(DeploymentRole? role)
    {
        var labels = new Dictionary<string, string>(SelectorLabels(role))
        {
            ["app.kubernetes.io/name"] = Name,
            ["app.kubernetes.io/managed-by"] = CanaryAnnotations.Manager,
        };
        return labels;
    }

    /// <summary>The Deployment of a role running this revision.</summary>
    public V1Deployment Deployment(DeploymentRole role, int replicas)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(Template));
        template.Metadata.Labels[CanaryAnnotations.RoleLabel] = RoleValue(role);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = DeploymentName(Name, role),
                NamespaceProperty = Namespace,
                Labels = ObjectLabels(role),
                Annotations = new Dictionary<string, string> { [CanaryAnnotations.Revision] = Revision },
                OwnerReferences = [OwnerReference()],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                ProgressDeadlineSeconds = (int)Spec.ProgressDeadline.TotalSeconds,
                Selector = new V1LabelSelector { MatchLabels = SelectorLabels(role) },
                Template = template,
            },
        };
    }

    /// <summary>The Services: <c>app</c> (both roles; the Istio host), <c>app-primary</c> and <c>app-canary</c>
    /// (the HTTPRoute backends, and handy in Prometheus queries).</summary>
    public IReadOnlyList<V1Service> Services() =>
        [Service(null), Service(DeploymentRole.Primary), Service(DeploymentRole.Canary)];

    private V1Service Service(DeploymentRole? role) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = ServiceName(Name, role),
            NamespaceProperty = Namespace,
            Labels = ObjectLabels(null),
            OwnerReferences = [OwnerReference()],
        },
        Spec = new V1ServiceSpec
        {
            Selector = SelectorLabels(role),
            Ports = [new V1ServicePort { Name = PortName, Port = Spec.ServicePort, TargetPort = Spec.ListenPort, Protocol = "TCP" }],
        },
    };

    private static string Hash(V1PodTemplateSpec template)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(template));
        var canonical = Canonical(node)?.ToJsonString() ?? "null";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(digest)[..10];
    }

    /// <summary>Object keys sorted at every level, nulls dropped: the same template always hashes the same.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
