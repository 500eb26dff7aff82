using System.Text.Json.Serialization;

namespace Canary.Api;

/// <summary>The traffic provider and what it needs.</summary>
public sealed class TrafficSpec
{
    /// <summary><c>istio</c> (VirtualService + DestinationRule subsets; canaryop's model) or <c>gatewayAPI</c> (HTTPRoute).</summary>
    [JsonPropertyName("provider")]
    public string? Provider { get; set; }

    /// <summary>Hosts the routing object serves (Istio <c>hosts</c>, HTTPRoute <c>hostnames</c>). Default: the app's Service name (Istio) or none.</summary>
    [JsonPropertyName("hosts")]
    public IList<string>? Hosts { get; set; }

    /// <summary>Istio gateways the VirtualService binds to (e.g. <c>istio-system/ingressgateway</c>); empty means the mesh.</summary>
    [JsonPropertyName("gateways")]
    public IList<string>? Gateways { get; set; }

    /// <summary>Gateway API parents of the HTTPRoute (a Gateway, or the app's Service for a GAMMA mesh).</summary>
    [JsonPropertyName("parentRefs")]
    public IList<ParentReference>? ParentRefs { get; set; }
}
