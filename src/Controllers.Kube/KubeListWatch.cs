using k8s;
using k8s.Models;

namespace Controllers.Kube;

/// <summary><see cref="ListWatch{T}"/>s for the kinds controllers here watch, on the full KubernetesClient.</summary>
/// <remarks>
/// The typed <c>WatchAsync&lt;T, TList&gt;</c> over a <c>...WithHttpMessagesAsync(watch: true)</c> call is marked obsolete
/// in KubernetesClient 21, but its replacement (<c>WatchList...Async</c>) yields untyped objects for custom
/// resources; the typed form is kept until the library offers a typed one.
/// </remarks>
#pragma warning disable CS0618
public static class KubeListWatch
{
    /// <summary>Deployments in one namespace, or all (<paramref name="namespaceName"/> null), filtered by labels.</summary>
    public static ListWatch<V1Deployment> Deployments(IKubernetes client, string? namespaceName, string? labelSelector) => new(
        async (cont, limit, ct) =>
        {
            var list = namespaceName is null
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: cont, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedDeploymentAsync(namespaceName, continueParameter: cont, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return new ListPage<V1Deployment>(list.Items.ToList(), list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
        },
        (rv, timeout, onError, ct) => namespaceName is null
            ? client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(labelSelector: labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<V1Deployment, V1DeploymentList>(onError, ct)
            : client.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(namespaceName, labelSelector: labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<V1Deployment, V1DeploymentList>(onError, ct));

    /// <summary>Pods in one namespace, or all (<paramref name="namespaceName"/> null), filtered by labels.</summary>
    public static ListWatch<V1Pod> Pods(IKubernetes client, string? namespaceName, string? labelSelector) => new(
        async (cont, limit, ct) =>
        {
            var list = namespaceName is null
                ? await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedPodAsync(namespaceName, continueParameter: cont, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return new ListPage<V1Pod>(list.Items.ToList(), list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
        },
        (rv, timeout, onError, ct) => namespaceName is null
            ? client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(labelSelector: labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<V1Pod, V1PodList>(onError, ct)
            : client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(namespaceName, labelSelector: labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<V1Pod, V1PodList>(onError, ct));

    /// <summary>ReplicaSets in one namespace, or all (<paramref name="namespaceName"/> null).</summary>
    public static ListWatch<V1ReplicaSet> ReplicaSets(IKubernetes client, string? namespaceName) => new(
        async (cont, limit, ct) =>
        {
            var list = namespaceName is null
                ? await client.AppsV1.ListReplicaSetForAllNamespacesAsync(continueParameter: cont, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedReplicaSetAsync(namespaceName, continueParameter: cont, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return new ListPage<V1ReplicaSet>(list.Items.ToList(), list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
        },
        (rv, timeout, onError, ct) => namespaceName is null
            ? client.AppsV1.ListReplicaSetForAllNamespacesWithHttpMessagesAsync(resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<V1ReplicaSet, V1ReplicaSetList>(onError, ct)
            : client.AppsV1.ListNamespacedReplicaSetWithHttpMessagesAsync(namespaceName, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<V1ReplicaSet, V1ReplicaSetList>(onError, ct));

    /// <summary>One ConfigMap, by name (a field selector, so RBAC can grant exactly that ConfigMap).</summary>
    public static ListWatch<V1ConfigMap> ConfigMap(IKubernetes client, string namespaceName, string name) => new(
        async (cont, limit, ct) =>
        {
            var list = await client.CoreV1.ListNamespacedConfigMapAsync(namespaceName, continueParameter: cont, fieldSelector: "metadata.name=" + name, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            return new ListPage<V1ConfigMap>(list.Items.ToList(), list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
        },
        (rv, timeout, onError, ct) => client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(namespaceName, fieldSelector: "metadata.name=" + name, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
            .WatchAsync<V1ConfigMap, V1ConfigMapList>(onError, ct));

    /// <summary>Custom objects of a group/version/plural, typed as <typeparamref name="T"/> (list kind <typeparamref name="TList"/>).</summary>
    public static ListWatch<T> Custom<T, TList>(IKubernetes client, string group, string version, string plural, string? namespaceName, string? labelSelector = null)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IKubernetesObject<V1ListMeta>, IItems<T> => new(
        async (cont, limit, ct) =>
        {
            using var response = namespaceName is null
                ? await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TList>(group, version, plural, continueParameter: cont, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TList>(group, version, namespaceName, plural, continueParameter: cont, labelSelector: labelSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false);
            var list = response.Body;
            return new ListPage<T>(list.Items.ToList(), list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
        },
        (rv, timeout, onError, ct) => namespaceName is null
            ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TList>(group, version, plural, labelSelector: labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<T, TList>(onError, ct)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TList>(group, version, namespaceName, plural, labelSelector: labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
                .WatchAsync<T, TList>(onError, ct));
}
#pragma warning restore CS0618
