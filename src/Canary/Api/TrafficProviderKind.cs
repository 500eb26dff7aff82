namespace Canary.Api;

/// <summary>The values of <c>spec.traffic.provider</c>.</summary>
public static class TrafficProviderKind
{
    public const string Istio = "istio";
    public const string GatewayApi = "gatewayAPI";
}
