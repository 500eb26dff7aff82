using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Canary.Api;

/// <summary>
/// A <c>CanaryApp</c> (<c>canary.sidecars.dev/v1</c>): one application whose new revisions are tried on a canary
/// Deployment, given a growing share of the traffic while a Prometheus query stays healthy, then promoted or rolled
/// back. The resource of canaryop, with the same spec fields and meanings, plus the fields of <see cref="CanaryAppSpec"/>.
/// </summary>
public sealed class CanaryApp : IKubernetesObject<V1ObjectMeta>, ISpec<CanaryAppSpec>, IStatus<CanaryAppStatus?>
{
    public const string Group = "canary.sidecars.dev";
    public const string Version = "v1";
    public const string KindName = "CanaryApp";
    public const string Plural = "canaryapps";
    public const string ApiVersionValue = Group + "/" + Version;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public CanaryAppSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public CanaryAppStatus? Status { get; set; }
}
