using System.Net;
using Controllers.Kube;
using k8s;
using k8s.Models;
using Rollout.Execution;
using Rollout.Planning;
using Rollout.Selection;

namespace Rollout.Kube;

/// <summary><see cref="IWorkloadApi"/> on KubernetesClient's typed calls.</summary>
public sealed class KubeWorkloadApi : IWorkloadApi
{
    private const string DryRunAll = "All";
    private readonly IKubernetes _client;

    public KubeWorkloadApi(IKubernetes client)
    {
        _client = client;
    }

    public async Task<WorkloadState> PatchTemplateAsync(WorkloadRef workload, string mergePatch, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var patch = new V1Patch(mergePatch, V1Patch.PatchType.MergePatch);
        var dry = dryRun ? DryRunAll : null;
        return workload.Kind switch
        {
            WorkloadKind.Deployment => WorkloadState.From(await _client.AppsV1.PatchNamespacedDeploymentAsync(patch, workload.Name, workload.Namespace, dryRun: dry, cancellationToken: cancellationToken).ConfigureAwait(false)),
            WorkloadKind.StatefulSet => WorkloadState.From(await _client.AppsV1.PatchNamespacedStatefulSetAsync(patch, workload.Name, workload.Namespace, dryRun: dry, cancellationToken: cancellationToken).ConfigureAwait(false)),
            _ => WorkloadState.From(await _client.AppsV1.PatchNamespacedDaemonSetAsync(patch, workload.Name, workload.Namespace, dryRun: dry, cancellationToken: cancellationToken).ConfigureAwait(false)),
        };
    }

    public async Task<WorkloadState?> GetAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        try
        {
            return workload.Kind switch
            {
                WorkloadKind.Deployment => WorkloadState.From(await _client.AppsV1.ReadNamespacedDeploymentAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)),
                WorkloadKind.StatefulSet => WorkloadState.From(await _client.AppsV1.ReadNamespacedStatefulSetAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)),
                _ => WorkloadState.From(await _client.AppsV1.ReadNamespacedDaemonSetAsync(workload.Name, workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false)),
            };
        }
        catch (Exception ex) when (KubeErrors.StatusOf(ex) == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
        return list.Items.ToList();
    }
}
