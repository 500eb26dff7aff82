using System.Text.Json.Nodes;

namespace TestKit.Kube.Objects;

/// <summary>
/// A Service, its EndpointSlices and their endpoints with the fields kube-apiserver 1.33 returns for them (the
/// endpointslice controller's labels, annotation and owner reference included), for tests and stand-ins that need
/// what Shawarma watches. UIDs are random unless given.
/// </summary>
public static class ServiceObjects
{
    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name } },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    /// <summary>A ClusterIP Service selecting <c>app: name</c>, port 80 to 8080.</summary>
    public static JsonObject Service(string ns, string name, params (string Key, string Value)[] labels)
    {
        var labelObject = new JsonObject();
        foreach (var (key, value) in labels)
        {
            labelObject[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
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

    /// <summary>An EndpointSlice of <paramref name="service"/> as the endpointslice controller writes it.</summary>
    public static JsonObject EndpointSlice(string ns, string name, string service, params JsonObject[] endpoints) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["generateName"] = service + "-",
            ["namespace"] = ns,
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

    /// <summary>
    /// One endpoint. <paramref name="ready"/> null leaves the conditions empty, as the API allows (consumers must read
    /// an absent ready as true).
    /// </summary>
    public static JsonObject Endpoint(string ns, string pod, bool? ready, string ip = "10.244.0.12", string kind = "Pod", string? podUid = null)
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
            ["targetRef"] = new JsonObject { ["kind"] = kind, ["namespace"] = ns, ["name"] = pod, ["uid"] = podUid ?? Guid.NewGuid().ToString() },
            ["zone"] = "zone-a",
        };
    }
}
