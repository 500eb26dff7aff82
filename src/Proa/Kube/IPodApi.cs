using System.Text.Json;
using Sidecars.Kube;

namespace Proa.Kube;

/// <summary>The two calls proa makes against the API server, both scoped to its own pod (a seam for tests).</summary>
internal interface IPodApi
{
    /// <summary>Where the calls go, for log lines.</summary>
    string Describe { get; }

    /// <summary>GET the pod. Throws <see cref="KubeApiException"/> on an HTTP error status.</summary>
    Task<JsonDocument> GetPodAsync(CancellationToken cancellationToken);

    /// <summary>Watch the pod from <paramref name="resourceVersion"/>. Throws <see cref="KubeApiException"/> (410 when too old).</summary>
    IAsyncEnumerable<KubeWatchEvent> WatchPodAsync(string? resourceVersion, CancellationToken cancellationToken);
}
