using k8s;

namespace Controllers.Kube;

/// <summary>One page of a list call.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ResourceVersion, string? Continue);

/// <summary>
/// How an <see cref="Informer{T}"/> lists and watches one kind: a paged list and a watch from a resourceVersion.
/// <see cref="KubeListWatch"/> builds these from KubernetesClient calls; tests can give their own.
/// </summary>
/// <param name="List">Lists one page (continue token, page size).</param>
/// <param name="Watch">Watches from a resourceVersion (with bookmarks and a server-side timeout); ERROR events
/// (such as 410 Gone) are passed to the error callback as <see cref="KubernetesException"/>.</param>
public sealed record ListWatch<T>(
    Func<string?, int, CancellationToken, Task<ListPage<T>>> List,
    Func<string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch);
