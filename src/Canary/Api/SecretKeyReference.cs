using System.Text.Json.Serialization;

namespace Canary.Api;

/// <summary>A key of a Secret in the CanaryApp's own namespace.</summary>
public sealed class SecretKeyReference
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>The key in the Secret's data (default <c>token</c>).</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }
}
