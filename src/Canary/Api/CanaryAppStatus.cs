using System.Text.Json.Serialization;
using k8s.Models;

namespace Canary.Api;

/// <summary>What the controller observed and decided; written only through the status subresource.</summary>
public sealed class CanaryAppStatus
{
    /// <summary>The <c>metadata.generation</c> this status was computed from.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>One of <see cref="CanaryPhase"/>.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>The canary's share of the traffic in percent, as read from the routing object.</summary>
    [JsonPropertyName("canaryWeight")]
    public int CanaryWeight { get; set; }

    /// <summary>The image the primary Deployment runs.</summary>
    [JsonPropertyName("primaryImage")]
    public string? PrimaryImage { get; set; }

    /// <summary>The revision (hash of the pod template) the primary Deployment runs.</summary>
    [JsonPropertyName("primaryRevision")]
    public string? PrimaryRevision { get; set; }

    /// <summary>The image under test, while there is one.</summary>
    [JsonPropertyName("canaryImage")]
    public string? CanaryImage { get; set; }

    /// <summary>The revision under test, while there is one.</summary>
    [JsonPropertyName("canaryRevision")]
    public string? CanaryRevision { get; set; }

    /// <summary>Failed checks of the current analysis.</summary>
    [JsonPropertyName("failedChecks")]
    public int FailedChecks { get; set; }

    /// <summary>When the canary weight last changed (the next check is due one interval later).</summary>
    [JsonPropertyName("lastStepTime")]
    public DateTime? LastStepTime { get; set; }

    /// <summary>When the analysis last made progress (canary became ready, weight advanced); the progress deadline counts from here.</summary>
    [JsonPropertyName("lastProgressTime")]
    public DateTime? LastProgressTime { get; set; }

    /// <summary>The last check: query, value, verdict.</summary>
    [JsonPropertyName("lastAnalysis")]
    public AnalysisRecord? LastAnalysis { get; set; }

    /// <summary>Revisions that were rolled back; not tried again unless annotated <c>canary.sidecars.dev/retry</c>.</summary>
    [JsonPropertyName("failedImages")]
    public IList<FailedImage>? FailedImages { get; set; }

    /// <summary><c>Ready</c>, <c>Progressing</c>, <c>Promoted</c> (see <see cref="ConditionTypes"/>).</summary>
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
