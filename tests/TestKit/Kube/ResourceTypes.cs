using System.Text.Json.Nodes;
using TestKit.Kube.Strategies;

namespace TestKit.Kube;

/// <summary>
/// The built-in resources the stand-in serves, each with the scope, status subresource, generation rule,
/// defaulting and validation of its registry strategy in kube-apiserver, plus ready-made custom resources
/// (Istio, Gateway API) to register when a test needs them.
/// </summary>
public static class ResourceTypes
{
    private static readonly string[] PodFields = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"];
    private static readonly string[] EventFields = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"];

    public static readonly ResourceType Namespace = new("", "v1", "Namespace", "namespaces", false)
    {
        StatusSubresource = true,
        ShortNames = ["ns"],
        Validator = (o, _) => [.. Validation.LabelName(o.Name()), .. Validation.Labels(o)],
        Defaulter = o =>
        {
            o.Metadata()["labels"] ??= new JsonObject();
            ((JsonObject)o.Metadata()["labels"]!).TryAdd("kubernetes.io/metadata.name", o.Name());
        },
    };

    public static readonly ResourceType Pod = new("", "v1", "Pod", "pods", true)
    {
        StatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        ShortNames = ["po"],
        SelectableFields = PodFields,
        Defaulter = Defaults.Pod,
        Validator = (o, _) => [.. Validation.SubdomainName(o.Name()), .. Validation.Labels(o), .. RequireContainers(o, "spec.containers")],
    };

    public static readonly ResourceType Service = new("", "v1", "Service", "services", true)
    {
        StatusSubresource = true,
        ShortNames = ["svc"],
        Defaulter = Defaults.Service,
        Validator = (o, _) => [.. Validation.LabelName(o.Name()), .. Validation.Labels(o)],
    };

    public static readonly ResourceType ConfigMap = Plain("", "v1", "ConfigMap", "configmaps", ["cm"]);
    public static readonly ResourceType Secret = Plain("", "v1", "Secret", "secrets", []) with { SelectableFields = ["type"] };
    public static readonly ResourceType ServiceAccount = Plain("", "v1", "ServiceAccount", "serviceaccounts", ["sa"]);
    public static readonly ResourceType Endpoints = Plain("", "v1", "Endpoints", "endpoints", ["ep"]);
    public static readonly ResourceType PersistentVolumeClaim = Plain("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", ["pvc"]) with { StatusSubresource = true };

    public static readonly ResourceType Node = new("", "v1", "Node", "nodes", false)
    {
        StatusSubresource = true,
        ShortNames = ["no"],
        SelectableFields = ["spec.unschedulable"],
    };

    public static readonly ResourceType Event = new("", "v1", "Event", "events", true)
    {
        ShortNames = ["ev"],
        SelectableFields = EventFields,
    };

    /// <summary>events.k8s.io/v1 Events: the same stored objects as core v1 Events, converted (note/message, regarding/involvedObject...).</summary>
    public static readonly ResourceType EventV1 = new("events.k8s.io", "v1", "Event", "events", true)
    {
        ShortNames = ["ev"],
        View = new StorageView(Event, EventConversion.FromCore, EventConversion.ToCore),
        SelectableFields = ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "reportingController", "type"],
        Validator = (o, old) => old is null ? EventConversion.ValidateCreate(o) : [],
    };

    public static readonly ResourceType Deployment = Workload("Deployment", "deployments", GenerationPolicy.SpecOrAnnotations, Defaults.Deployment, ["deploy"]);
    public static readonly ResourceType StatefulSet = Workload("StatefulSet", "statefulsets", GenerationPolicy.Spec, Defaults.StatefulSet, ["sts"]);
    public static readonly ResourceType DaemonSet = Workload("DaemonSet", "daemonsets", GenerationPolicy.Spec, Defaults.DaemonSet, ["ds"]);
    public static readonly ResourceType ReplicaSet = Workload("ReplicaSet", "replicasets", GenerationPolicy.Spec, Defaults.ReplicaSet, ["rs"]);

    public static readonly ResourceType ControllerRevision = Plain("apps", "v1", "ControllerRevision", "controllerrevisions", []);

    public static readonly ResourceType Job = new("batch", "v1", "Job", "jobs", true)
    {
        StatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        Defaulter = Defaults.Job,
        Validator = (o, _) => [.. Validation.SubdomainName(o.Name()), .. Validation.Labels(o)],
    };

    public static readonly ResourceType CronJob = new("batch", "v1", "CronJob", "cronjobs", true)
    {
        StatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        ShortNames = ["cj"],
    };

    public static readonly ResourceType Lease = Plain("coordination.k8s.io", "v1", "Lease", "leases", []);

    public static readonly ResourceType EndpointSlice = Plain("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", []) with
    {
        Generation = GenerationPolicy.AllButMetadataAndStatus,
    };

    public static readonly ResourceType PodDisruptionBudget = new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true)
    {
        StatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        ShortNames = ["pdb"],
    };

    public static readonly ResourceType Role = Plain("rbac.authorization.k8s.io", "v1", "Role", "roles", []);
    public static readonly ResourceType RoleBinding = Plain("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", []);
    public static readonly ResourceType ClusterRole = Plain("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", [], namespaced: false);
    public static readonly ResourceType ClusterRoleBinding = Plain("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", [], namespaced: false);

    public static readonly ResourceType MutatingWebhookConfiguration = Plain("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", [], namespaced: false) with
    {
        Generation = GenerationPolicy.AllButMetadataAndStatus,
    };

    public static readonly ResourceType ValidatingWebhookConfiguration = Plain("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", [], namespaced: false) with
    {
        Generation = GenerationPolicy.AllButMetadataAndStatus,
    };

    public static readonly ResourceType NetworkPolicy = Plain("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", ["netpol"]) with { Generation = GenerationPolicy.Spec };
    public static readonly ResourceType Ingress = Plain("networking.k8s.io", "v1", "Ingress", "ingresses", ["ing"]) with { StatusSubresource = true, Generation = GenerationPolicy.Spec };

    public static readonly ResourceType CustomResourceDefinition = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false)
    {
        StatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        ShortNames = ["crd"],
    };

    /// <summary>Istio networking.istio.io/v1 VirtualService (a custom resource with a status subresource).</summary>
    public static readonly ResourceType IstioVirtualService = ResourceType.Custom("networking.istio.io", "v1", "VirtualService", "virtualservices") with { ShortNames = ["vs"] };

    /// <summary>Istio networking.istio.io/v1 DestinationRule.</summary>
    public static readonly ResourceType IstioDestinationRule = ResourceType.Custom("networking.istio.io", "v1", "DestinationRule", "destinationrules") with { ShortNames = ["dr"] };

    /// <summary>Gateway API gateway.networking.k8s.io/v1 HTTPRoute.</summary>
    public static readonly ResourceType HttpRoute = ResourceType.Custom("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes");

    /// <summary>Every built-in type the server registers at start.</summary>
    public static IReadOnlyList<ResourceType> BuiltIn { get; } =
    [
        Namespace, Pod, Service, ConfigMap, Secret, ServiceAccount, Endpoints, PersistentVolumeClaim, Node, Event, EventV1,
        Deployment, StatefulSet, DaemonSet, ReplicaSet, ControllerRevision, Job, CronJob, Lease, EndpointSlice, PodDisruptionBudget,
        Role, RoleBinding, ClusterRole, ClusterRoleBinding, MutatingWebhookConfiguration, ValidatingWebhookConfiguration,
        NetworkPolicy, Ingress, CustomResourceDefinition,
    ];

    private static ResourceType Plain(string group, string version, string kind, string plural, string[] shortNames, bool namespaced = true) =>
        new(group, version, kind, plural, namespaced)
        {
            ShortNames = shortNames,
            Validator = (o, _) => [.. Validation.SubdomainName(o.Name()), .. Validation.Labels(o)],
        };

    private static ResourceType Workload(string kind, string plural, GenerationPolicy generation, Action<JsonObject> defaulter, string[] shortNames) =>
        new("apps", "v1", kind, plural, true)
        {
            StatusSubresource = true,
            Generation = generation,
            ShortNames = shortNames,
            Defaulter = defaulter,
            Validator = (o, old) =>
            [
                .. Validation.SubdomainName(o.Name()), .. Validation.Labels(o), .. Validation.WorkloadSelector(o),
                .. RequireContainers(o, "spec.template.spec.containers"),
                .. old is not null && !KubeJson.SemanticEquals(o.At("spec.selector"), old.At("spec.selector"))
                    ? [FieldError.Invalid("spec.selector", o.At("spec.selector")?.DeepClone(), "field is immutable")]
                    : Array.Empty<FieldError>(),
            ],
        };

    private static IEnumerable<FieldError> RequireContainers(JsonObject obj, string path)
    {
        if (obj.At(path) is not JsonArray { Count: > 0 } containers)
        {
            yield return FieldError.Required(path);
            yield break;
        }

        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i] is not JsonObject container || string.IsNullOrEmpty((string?)container["name"]))
            {
                yield return FieldError.Required($"{path}[{i}].name");
            }
            else if (string.IsNullOrEmpty((string?)container["image"]))
            {
                yield return FieldError.Required($"{path}[{i}].image");
            }
        }
    }
}
