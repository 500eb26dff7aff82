using System.Text.Json;
using Proa.Identity;
using Sidecars.Kube;

namespace Proa.Kube;

/// <summary>
/// <see cref="IPodApi"/> over <see cref="KubeApiClient"/>. The watch uses the pod collection with a name field
/// selector: watching a single object by name is not a Kubernetes API, and the RBAC rule stays "get, watch pods".
/// </summary>
internal sealed class KubePodApi(KubeApiClient client, PodIdentity pod) : IPodApi, IDisposable
{
    private readonly string _getPath = $"/api/v1/namespaces/{Uri.EscapeDataString(pod.Namespace)}/pods/{Uri.EscapeDataString(pod.Name)}";
    private readonly string _watchPath = $"/api/v1/namespaces/{Uri.EscapeDataString(pod.Namespace)}/pods?fieldSelector={Uri.EscapeDataString("metadata.name=" + pod.Name)}";

    public string Describe => client.Server.ToString();

    public Task<JsonDocument> GetPodAsync(CancellationToken cancellationToken) => client.GetAsync(_getPath, cancellationToken);

    public IAsyncEnumerable<KubeWatchEvent> WatchPodAsync(string? resourceVersion, CancellationToken cancellationToken) =>
        client.WatchAsync(_watchPath, resourceVersion, cancellationToken);

    public void Dispose() => client.Dispose();
}
