using System.Text.Json.Serialization;
using k8s.Models;

namespace Canary.Api;

/// <summary>
/// What the user asks for. canaryop's fields keep canaryop's names and meanings (<c>image</c>, <c>imageListenPort</c>,
/// <c>replicas</c>, <c>testReplicas</c>, <c>prometheusQuery</c>, <c>prometheusURL</c>, <c>failWhenPrometheusFails</c>,
/// <c>trafficShiftUpdateInterval</c>); the rest are optional. Defaults are in the CRD's schema (so the API server fills
/// them in) and again in <see cref="EffectiveSpec"/> (so a hand-made object without them still works).
/// </summary>
public sealed class CanaryAppSpec
{
    /// <summary>The application image (the short form). Exactly one of <see cref="Image"/> and <see cref="Template"/>.</summary>
    [JsonPropertyName("image")]
    public string? Image { get; set; }

    /// <summary>The port the application listens on (the container port the Services target).</summary>
    [JsonPropertyName("imageListenPort")]
    public int? ImageListenPort { get; set; }

    /// <summary>The port of the Services the controller creates (default 80).</summary>
    [JsonPropertyName("servicePort")]
    public int? ServicePort { get; set; }

    /// <summary>Replicas of the primary Deployment.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Replicas of the canary Deployment while a revision is under test.</summary>
    [JsonPropertyName("testReplicas")]
    public int? TestReplicas { get; set; }

    /// <summary>A full pod template instead of <see cref="Image"/> (env, probes, resources...).</summary>
    [JsonPropertyName("template")]
    public V1PodTemplateSpec? Template { get; set; }

    /// <summary>The PromQL expression checked each interval (an instant query).</summary>
    [JsonPropertyName("prometheusQuery")]
    public string? PrometheusQuery { get; set; }

    /// <summary>The Prometheus base URL, e.g. <c>http://prometheus.istio-system.svc:9090</c>.</summary>
    [JsonPropertyName("prometheusURL")]
    public string? PrometheusUrl { get; set; }

    /// <summary>Optional bearer token for Prometheus, read from a Secret in the CanaryApp's namespace.</summary>
    [JsonPropertyName("prometheusTokenSecretRef")]
    public SecretKeyReference? PrometheusTokenSecretRef { get; set; }

    /// <summary>Whether a query that could not be evaluated (HTTP error, timeout, bad answer) counts as a failed check.</summary>
    [JsonPropertyName("failWhenPrometheusFails")]
    public bool? FailWhenPrometheusFails { get; set; }

    /// <summary>Seconds between two traffic steps (and two checks).</summary>
    [JsonPropertyName("trafficShiftUpdateInterval")]
    public int? TrafficShiftUpdateInterval { get; set; }

    /// <summary>canaryop's fixed readiness wait, accepted so its manifests apply; ignored (readiness is read from the
    /// Deployment's status).</summary>
    [JsonPropertyName("deploymentReadyWaitTime")]
    public int? DeploymentReadyWaitTime { get; set; }

    /// <summary>Canary weight added per step (default 10). Not with <see cref="StepWeights"/>.</summary>
    [JsonPropertyName("stepWeight")]
    public int? StepWeight { get; set; }

    /// <summary>Explicit canary weights, ascending (e.g. 1, 5, 25, 50); promotion follows the last one.</summary>
    [JsonPropertyName("stepWeights")]
    public IList<int>? StepWeights { get; set; }

    /// <summary>The canary weight at which a passing check promotes (default 50). Not with <see cref="StepWeights"/>.</summary>
    [JsonPropertyName("maxWeight")]
    public int? MaxWeight { get; set; }

    /// <summary>Failed checks (over the whole analysis) that roll the canary back.</summary>
    [JsonPropertyName("threshold")]
    public int? Threshold { get; set; }

    /// <summary>When set, the query must give one value within [min, max]; without it, any series returned is a failure.</summary>
    [JsonPropertyName("thresholdRange")]
    public ThresholdRange? ThresholdRange { get; set; }

    /// <summary><c>Pass</c>, <c>Fail</c> or <c>Hold</c> (the default): what a check without data means.</summary>
    [JsonPropertyName("onNoData")]
    public string? OnNoData { get; set; }

    /// <summary>Seconds without progress (canary not ready, checks held) before the canary is rolled back.</summary>
    [JsonPropertyName("progressDeadlineSeconds")]
    public int? ProgressDeadlineSeconds { get; set; }

    /// <summary>Stop acting on this CanaryApp: no step, no promotion, no rollback, until it is set back to false.</summary>
    [JsonPropertyName("suspend")]
    public bool? Suspend { get; set; }

    /// <summary>Promote new revisions without a canary analysis.</summary>
    [JsonPropertyName("skipAnalysis")]
    public bool? SkipAnalysis { get; set; }

    /// <summary>How traffic is split between primary and canary.</summary>
    [JsonPropertyName("traffic")]
    public TrafficSpec? Traffic { get; set; }
}
