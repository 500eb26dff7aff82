using System.Text.Json.Nodes;
using TestKit.Kube;
using TestKit.Kube.Storage;

namespace KubeStandIn;

/// <summary>
/// The world the sidecar benchmarks run against, in namespace NS: Service SERVICE, one EndpointSlice of it with pod
/// POD ready, and POD itself (containers app, ready, and sidecar, not ready), with the shapes kube-apiserver 1.33
/// returns.
/// </summary>
internal static class SeedWorld
{
    public static void Into(KubeStore store, string ns, string service, string pod)
    {
        store.Put(Namespace(ns));
        store.Put(Service(ns, service));
        store.Put(EndpointSlice(ns, service, pod));
        store.Put(Pod(ns, pod));
    }

    private static JsonObject Namespace(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    private static JsonObject Service(string ns, string service) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = service, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = service } },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = "10.96.12.34",
            ["clusterIPs"] = new JsonArray("10.96.12.34"),
            ["selector"] = new JsonObject { ["app"] = service },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 80, ["targetPort"] = 8080 }),
            ["sessionAffinity"] = "None",
            ["ipFamilies"] = new JsonArray("IPv4"),
            ["ipFamilyPolicy"] = "SingleStack",
            ["internalTrafficPolicy"] = "Cluster",
        },
        ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
    };

    private static JsonObject EndpointSlice(string ns, string service, string pod) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["name"] = service + "-abc12",
            ["generateName"] = service + "-",
            ["namespace"] = ns,
            ["labels"] = new JsonObject
            {
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
                ["kubernetes.io/service-name"] = service,
            },
            ["annotations"] = new JsonObject { ["endpoints.kubernetes.io/last-change-trigger-time"] = "2025-05-01T10:00:00Z" },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Service", ["name"] = service, ["uid"] = "0b6f3c9e-2a1d-4c55-8e0f-7a9b1c2d3e4f",
                ["controller"] = true, ["blockOwnerDeletion"] = true,
            }),
        },
        ["addressType"] = "IPv4",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray("10.244.0.12"),
            ["conditions"] = new JsonObject { ["ready"] = true, ["serving"] = true, ["terminating"] = false },
            ["nodeName"] = "kind-worker",
            ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = ns, ["name"] = pod, ["uid"] = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a" },
            ["zone"] = "zone-a",
        }),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = 8080 }),
    };

    private static JsonObject Pod(string ns, string pod)
    {
        static JsonObject Status(string name, bool ready) => new()
        {
            ["name"] = name, ["ready"] = ready, ["started"] = true, ["restartCount"] = 0, ["image"] = $"example/{name}:1", ["imageID"] = "",
            ["containerID"] = "containerd://" + name, ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2025-05-01T10:00:00Z" } },
        };

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = ns, ["uid"] = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "example/app:1" }, new JsonObject { ["name"] = "sidecar", ["image"] = "example/sidecar:1" }),
                ["restartPolicy"] = "Always",
                ["terminationGracePeriodSeconds"] = 30,
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False" }),
                ["containerStatuses"] = new JsonArray(Status("app", true), Status("sidecar", false)),
            },
        };
    }
}
