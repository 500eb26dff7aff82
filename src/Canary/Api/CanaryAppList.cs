using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Canary.Api;

/// <summary>The list kind the API server returns for <c>canaryapps</c>.</summary>
public sealed class CanaryAppList : IKubernetesObject<V1ListMeta>, IItems<CanaryApp>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApp.ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "CanaryAppList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<CanaryApp> Items { get; set; } = [];
}
