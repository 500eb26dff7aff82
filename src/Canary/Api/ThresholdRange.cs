using System.Text.Json.Serialization;

namespace Canary.Api;

/// <summary>Inclusive bounds for the single value a query returns; either bound may be left out.</summary>
public sealed class ThresholdRange
{
    [JsonPropertyName("min")]
    public double? Min { get; set; }

    [JsonPropertyName("max")]
    public double? Max { get; set; }
}
