using System.Net;
using Controllers.Kube;
using k8s;
using k8s.Models;
using Rollout.Planning;
using Rollout.Selection;

namespace Rollout.Kube;

/// <summary>
/// Reads the world in paged list calls - per included namespace, or one cluster-wide call per kind - never one call
/// per workload or per pod, so the number of calls depends on the number of kinds, namespaces and pages, not on the
/// number of workloads. A continue token that expires mid-list (410) restarts that list. PodDisruptionBudgets are
/// optional: without permission to list them the run goes on without the PDB warning, and says so.
/// </summary>
public sealed class ClusterReader
{
    private const int MaxRestarts = 3;
    private readonly IKubernetes _client;

    public ClusterReader(IKubernetes client)
    {
        _client = client;
    }

    public async Task<ClusterSnapshot> ReadAsync(ListScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var warnings = new List<string>();
        var pods = await ListAsync(scope, (ns, cont, limit, ct) => ns is null
            ? Page(_client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, labelSelector: scope.PodLabelSelector, limit: limit, cancellationToken: ct))
            : Page(_client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: cont, labelSelector: scope.PodLabelSelector, limit: limit, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);

        var replicaSets = new List<V1ReplicaSet>();
        var workloads = new Dictionary<WorkloadRef, WorkloadState>();
        if (scope.Deployments)
        {
            replicaSets = await ListAsync(scope, (ns, cont, limit, ct) => ns is null
                ? Page(_client.AppsV1.ListReplicaSetForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct))
                : Page(_client.AppsV1.ListNamespacedReplicaSetAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
            foreach (var deployment in await ListAsync(scope, (ns, cont, limit, ct) => ns is null
                ? Page(_client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct))
                : Page(_client.AppsV1.ListNamespacedDeploymentAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct)), cancellationToken).ConfigureAwait(false))
            {
                Add(workloads, WorkloadState.From(deployment));
            }
        }

        if (scope.StatefulSets)
        {
            foreach (var statefulSet in await ListAsync(scope, (ns, cont, limit, ct) => ns is null
                ? Page(_client.AppsV1.ListStatefulSetForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct))
                : Page(_client.AppsV1.ListNamespacedStatefulSetAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct)), cancellationToken).ConfigureAwait(false))
            {
                Add(workloads, WorkloadState.From(statefulSet));
            }
        }

        if (scope.DaemonSets)
        {
            foreach (var daemonSet in await ListAsync(scope, (ns, cont, limit, ct) => ns is null
                ? Page(_client.AppsV1.ListDaemonSetForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct))
                : Page(_client.AppsV1.ListNamespacedDaemonSetAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct)), cancellationToken).ConfigureAwait(false))
            {
                Add(workloads, WorkloadState.From(daemonSet));
            }
        }

        List<V1PodDisruptionBudget> budgets = [];
        try
        {
            budgets = await ListAsync(scope, (ns, cont, limit, ct) => ns is null
                ? Page(_client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct))
                : Page(_client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns, continueParameter: cont, limit: limit, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (KubeErrors.StatusOf(ex) is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            warnings.Add($"PodDisruptionBudgets not checked: listing them was {KubeErrors.Describe(ex)}");
        }

        return new ClusterSnapshot(pods, replicaSets, workloads, budgets, warnings);
    }

    private static void Add(Dictionary<WorkloadRef, WorkloadState> workloads, WorkloadState state) => workloads[state.Workload] = state;

    private static async Task<(IList<T> Items, string? Continue)> Page<T, TList>(Task<TList> call)
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        var list = await call.ConfigureAwait(false);
        return (list.Items ?? [], list.Metadata?.ContinueProperty);
    }

    private static async Task<(IList<V1Pod> Items, string? Continue)> Page(Task<V1PodList> call) => await Page<V1Pod, V1PodList>(call).ConfigureAwait(false);

    private static async Task<(IList<V1ReplicaSet> Items, string? Continue)> Page(Task<V1ReplicaSetList> call) => await Page<V1ReplicaSet, V1ReplicaSetList>(call).ConfigureAwait(false);

    private static async Task<(IList<V1Deployment> Items, string? Continue)> Page(Task<V1DeploymentList> call) => await Page<V1Deployment, V1DeploymentList>(call).ConfigureAwait(false);

    private static async Task<(IList<V1StatefulSet> Items, string? Continue)> Page(Task<V1StatefulSetList> call) => await Page<V1StatefulSet, V1StatefulSetList>(call).ConfigureAwait(false);

    private static async Task<(IList<V1DaemonSet> Items, string? Continue)> Page(Task<V1DaemonSetList> call) => await Page<V1DaemonSet, V1DaemonSetList>(call).ConfigureAwait(false);

    private static async Task<(IList<V1PodDisruptionBudget> Items, string? Continue)> Page(Task<V1PodDisruptionBudgetList> call) => await Page<V1PodDisruptionBudget, V1PodDisruptionBudgetList>(call).ConfigureAwait(false);

    /// <summary>All pages of one kind, per namespace of the scope or cluster-wide.</summary>
    private static async Task<List<T>> ListAsync<T>(
        ListScope scope,
        Func<string?, string?, int, CancellationToken, Task<(IList<T> Items, string? Continue)>> page,
        CancellationToken cancellationToken)
    {
        var all = new List<T>();
        IEnumerable<string?> namespaces = scope.Namespaces.Count == 0 ? [null] : scope.Namespaces.Cast<string?>();
        foreach (var ns in namespaces)
        {
            all.AddRange(await AllPagesAsync(ns, scope.PageSize, page, cancellationToken).ConfigureAwait(false));
        }

        return all;
    }

    private static async Task<List<T>> AllPagesAsync<T>(
        string? ns,
        int pageSize,
        Func<string?, string?, int, CancellationToken, Task<(IList<T> Items, string? Continue)>> page,
        CancellationToken cancellationToken)
    {
        for (var restart = 0; ; restart++)
        {
            var items = new List<T>();
            string? cont = null;
            try
            {
                do
                {
                    var (pageItems, next) = await page(ns, cont, pageSize, cancellationToken).ConfigureAwait(false);
                    items.AddRange(pageItems);
                    cont = string.IsNullOrEmpty(next) ? null : next;
                }
                while (cont is not null);
                return items;
            }
            catch (Exception ex) when (cont is not null && restart < MaxRestarts && KubeErrors.StatusOf(ex) == HttpStatusCode.Gone)
            {
                // The continue token expired (the snapshot was compacted): list again from the start.
            }
        }
    }
}
