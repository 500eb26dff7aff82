using System.Text.Json.Nodes;
using TestKit.Kube.Objects;

namespace Shawarma.Tests.Fakes;

/// <summary>The kit's Service and EndpointSlice shapes in the namespace these tests use.</summary>
internal static class Objects
{
    public const string Namespace = "shop";

    public static JsonObject Endpoint(string pod, bool? ready, string ip = "10.244.0.12", string kind = "Pod") =>
        ServiceObjects.Endpoint(Namespace, pod, ready, ip, kind);

    public static JsonObject Slice(string name, string service, params JsonObject[] endpoints) =>
        ServiceObjects.EndpointSlice(Namespace, name, service, endpoints);

    public static JsonObject Service(string name, params (string Key, string Value)[] labels) =>
        ServiceObjects.Service(Namespace, name, labels);
}
