using System.Text.Json.Nodes;
using TestKit.Kube.Objects;
using TestKit.Kube.Storage;

namespace KubeStandIn;

/// <summary>
/// The world the sidecar benchmarks run against, in namespace NS: Service SERVICE, one EndpointSlice of it with pod
/// POD ready, and POD itself (containers app, ready, and sidecar, not ready), with the shapes kube-apiserver 1.33
/// returns.
/// </summary>
internal static class SeedWorld
{
    private const string PodUid = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    public static void Into(KubeStore store, string ns, string service, string pod)
    {
        store.Put(ServiceObjects.Namespace(ns));
        store.Put(ServiceObjects.Service(ns, service, ("app", service)));
        store.Put(ServiceObjects.EndpointSlice(ns, service + "-abc12", service, ServiceObjects.Endpoint(ns, pod, ready: true, podUid: PodUid)));
        store.Put(Pod(ns, pod));
    }

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
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = ns, ["uid"] = PodUid },
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
