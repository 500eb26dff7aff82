using System.Text.Json.Serialization;

namespace Canary.Api;

/// <summary>A revision that was rolled back, with why and when.</summary>
public sealed class FailedImage
{
    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    [JsonPropertyName("revision")]
    public string Revision { get; set; } = "";

    /// <summary><c>FailedChecks</c>, <c>ProgressDeadlineExceeded</c> or <c>Aborted</c>.</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("time")]
    public DateTime Time { get; set; }
}
