using k8s.Models;
using Rollout.Selection;

namespace Rollout.Planning;

/// <summary>
/// A Deployment, StatefulSet or DaemonSet as read from the API, with what planning and waiting need in one shape
/// (generation, pod selector, template labels and annotations) and the typed object for the kind's own rules.
/// </summary>
public sealed class WorkloadState
{
    private WorkloadState(WorkloadKind kind, V1ObjectMeta? metadata, V1LabelSelector? selector, V1PodTemplateSpec? template)
    {
        Metadata = metadata ?? new V1ObjectMeta();
        Workload = new WorkloadRef(kind, Metadata.NamespaceProperty ?? "", Metadata.Name ?? "");
        Selector = selector;
        TemplateLabels = template?.Metadata?.Labels ?? new Dictionary<string, string>();
        TemplateAnnotations = template?.Metadata?.Annotations ?? new Dictionary<string, string>();
    }

    public WorkloadRef Workload { get; }

    public V1ObjectMeta Metadata { get; }

    public long Generation => Metadata.Generation ?? 0;

    public V1LabelSelector? Selector { get; }

    public IDictionary<string, string> TemplateLabels { get; }

    public IDictionary<string, string> TemplateAnnotations { get; }

    public V1Deployment? Deployment { get; private init; }

    public V1StatefulSet? StatefulSet { get; private init; }

    public V1DaemonSet? DaemonSet { get; private init; }

    public static WorkloadState From(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return new(WorkloadKind.Deployment, deployment.Metadata, deployment.Spec?.Selector, deployment.Spec?.Template) { Deployment = deployment };
    }

    public static WorkloadState From(V1StatefulSet statefulSet)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        return new(WorkloadKind.StatefulSet, statefulSet.Metadata, statefulSet.Spec?.Selector, statefulSet.Spec?.Template) { StatefulSet = statefulSet };
    }

    public static WorkloadState From(V1DaemonSet daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        return new(WorkloadKind.DaemonSet, daemonSet.Metadata, daemonSet.Spec?.Selector, daemonSet.Spec?.Template) { DaemonSet = daemonSet };
    }

    /// <summary>The workload's own annotation, else its pod template's.</summary>
    public string? Annotation(string key) =>
        Metadata.Annotations?.TryGetValue(key, out var own) == true ? own
        : TemplateAnnotations.TryGetValue(key, out var template) ? template : null;
}
