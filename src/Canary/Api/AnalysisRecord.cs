using System.Text.Json.Serialization;

namespace Canary.Api;

/// <summary>One Prometheus check as recorded in the status.</summary>
public sealed class AnalysisRecord
{
    [JsonPropertyName("query")]
    public string? Query { get; set; }

    /// <summary>The value as Prometheus wrote it (<c>"0.02"</c>, <c>"NaN"</c>, <c>"+Inf"</c>), or a summary of the series.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; set; }

    /// <summary><c>Pass</c>, <c>Fail</c>, <c>NoData</c> or <c>Error</c>.</summary>
    [JsonPropertyName("verdict")]
    public string? Verdict { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>The canary weight when the check ran.</summary>
    [JsonPropertyName("weight")]
    public int Weight { get; set; }

    [JsonPropertyName("time")]
    public DateTime? Time { get; set; }
}
