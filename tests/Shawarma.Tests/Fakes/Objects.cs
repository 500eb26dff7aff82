using System.Text.Json.Nodes;

namespace Shawarma.Tests.Fakes;

/// <summary>EndpointSlice and Service JSON shaped like what kube-apiserver 1.33 returns.</summary>
internal static class Objects
{
    public const string Namespace = "shop";

    public static JsonObject Endpoint(string pod, bool? ready, string ip = "10.244.0.12", string kind = "Pod")
    {
        var conditions = new JsonObject();
        if (ready is { } r)
        {
            conditions["ready"] = r;
            conditions["serving"] = r;
            conditions["terminating"] = false;
        }

        return new JsonObject
        {
            ["addresses"] = new JsonArray(ip),
            ["conditions"] = conditions,
            ["nodeName"] = "kind-worker",
            ["targetRef"] = new JsonObject
            {
                ["kind"] = kind,
                ["namespace"] = Namespace,
                ["name"] = pod,
                ["uid"] = Guid.NewGuid().ToString(),
            },
            ["zone"] = "zone-a",
        };
    }

    public static JsonObject Slice(string name, string service, params JsonObject[] endpoints) => new()
    {
        ["kind"] = "EndpointSlice",
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["generateName"] = service + "-",
            ["namespace"] = Namespace,
            ["uid"] = Guid.NewGuid().ToString(),
            ["generation"] = 1,
            ["creationTimestamp"] = "2025-05-01T10:00:00Z",
            ["labels"] = new JsonObject
            {
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
                ["kubernetes.io/service-name"] = service,
            },
            ["annotations"] = new JsonObject { ["endpoints.kubernetes.io/last-change-trigger-time"] = "2025-05-01T10:00:00Z" },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["name"] = service,
                ["uid"] = Guid.NewGuid().ToString(),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        },
        ["addressType"] = "IPv4",
        ["endpoints"] = new JsonArray([.. endpoints]),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 8080 }),
    };

    public static JsonObject Service(string name, params (string Key, string Value)[] labels)
    {
        var labelObject = new JsonObject();
        foreach (var (k, v) in labels)
        {
            labelObject[k] = v;
        }

        return new JsonObject
        {
            ["kind"] = "Service",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Namespace,
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = "2025-05-01T10:00:00Z",
                ["labels"] = labelObject,
            },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = "10.96.12.34",
                ["clusterIPs"] = new JsonArray("10.96.12.34"),
                ["selector"] = new JsonObject { ["app"] = name },
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 80, ["targetPort"] = 8080 }),
                ["sessionAffinity"] = "None",
                ["ipFamilies"] = new JsonArray("IPv4"),
                ["ipFamilyPolicy"] = "SingleStack",
                ["internalTrafficPolicy"] = "Cluster",
            },
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
        };
    }
}
