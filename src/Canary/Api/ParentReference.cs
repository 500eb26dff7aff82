using System.Text.Json.Serialization;

namespace Canary.Api;

/// <summary>A Gateway API <c>ParentReference</c> (gateway.networking.k8s.io/v1), copied into the HTTPRoute as given.</summary>
public sealed class ParentReference
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("sectionName")]
    public string? SectionName { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }
}
