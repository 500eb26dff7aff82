using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proa.Tests.Infrastructure;

/// <summary>
/// Pod JSON shaped like what kube-apiserver returns for a Job pod with proa in "app", a classic sidecar "envoy",
/// a completed regular init container and a native sidecar "log-shipper" (init container, restartPolicy Always).
/// Everything starts running but not ready; helpers move containers along.
/// </summary>
internal static class TestPods
{
    public const string Namespace = "batch";
    public const string Name = "report-28719-7x2kq";

    private const string Template = """
    {
      "kind": "Pod",
      "apiVersion": "v1",
      "metadata": {
        "name": "report-28719-7x2kq",
        "generateName": "report-28719-",
        "namespace": "batch",
        "uid": "6f1f3a52-3d1e-4f57-9a57-2f4f3c7e2a10",
        "resourceVersion": "100",
        "creationTimestamp": "2025-06-01T10:00:00Z",
        "labels": { "batch.kubernetes.io/job-name": "report-28719", "job-name": "report-28719" },
        "annotations": { "sidecars.dev/inject": "proa" },
        "ownerReferences": [
          { "apiVersion": "batch/v1", "kind": "Job", "name": "report-28719", "uid": "0c7b5d7e-1111-4a2b-9a1b-5b2c3d4e5f60", "controller": true, "blockOwnerDeletion": true }
        ]
      },
      "spec": {
        "restartPolicy": "Never",
        "terminationGracePeriodSeconds": 1,
        "serviceAccountName": "report",
        "nodeName": "kind-worker",
        "volumes": [ { "name": "proa-bin", "emptyDir": {} } ],
        "initContainers": [
          { "name": "proa-install", "image": "ghcr.io/sidecars/proa:1.0", "command": ["/proa", "install", "/proa-bin/proa"],
            "volumeMounts": [ { "name": "proa-bin", "mountPath": "/proa-bin" } ] },
          { "name": "log-shipper", "image": "fluent/fluent-bit:3.0", "restartPolicy": "Always",
            "readinessProbe": { "httpGet": { "path": "/api/v1/health", "port": 2020 }, "periodSeconds": 5 } }
        ],
        "containers": [
          { "name": "app", "image": "example/report:2.3", "command": ["/proa-bin/proa", "--", "/report"],
            "env": [ { "name": "PROA_CONTAINER_NAME", "value": "app" } ],
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File" },
          { "name": "envoy", "image": "envoyproxy/envoy:v1.31.0",
            "readinessProbe": { "httpGet": { "path": "/ready", "port": 9901 }, "periodSeconds": 2 } }
        ]
      },
      "status": {
        "phase": "Running",
        "hostIP": "172.18.0.3",
        "podIP": "10.244.1.17",
        "startTime": "2025-06-01T10:00:00Z",
        "conditions": [
          { "type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2025-06-01T10:00:02Z" },
          { "type": "Ready", "status": "False", "lastProbeTime": null, "lastTransitionTime": "2025-06-01T10:00:00Z", "reason": "ContainersNotReady" }
        ],
        "initContainerStatuses": [
          { "name": "proa-install", "image": "ghcr.io/sidecars/proa:1.0", "imageID": "ghcr.io/sidecars/proa@sha256:aa", "containerID": "containerd://1111",
            "ready": true, "started": false, "restartCount": 0,
            "state": { "terminated": { "exitCode": 0, "reason": "Completed", "startedAt": "2025-06-01T10:00:01Z", "finishedAt": "2025-06-01T10:00:01Z", "containerID": "containerd://1111" } },
            "lastState": {} },
          { "name": "log-shipper", "image": "fluent/fluent-bit:3.0", "imageID": "docker.io/fluent/fluent-bit@sha256:bb", "containerID": "containerd://2222",
            "ready": false, "started": true, "restartCount": 0,
            "state": { "running": { "startedAt": "2025-06-01T10:00:02Z" } }, "lastState": {} }
        ],
        "containerStatuses": [
          { "name": "app", "image": "example/report:2.3", "imageID": "docker.io/example/report@sha256:cc", "containerID": "containerd://3333",
            "ready": false, "started": true, "restartCount": 0,
            "state": { "running": { "startedAt": "2025-06-01T10:00:03Z" } }, "lastState": {} },
          { "name": "envoy", "image": "envoyproxy/envoy:v1.31.0", "imageID": "docker.io/envoyproxy/envoy@sha256:dd", "containerID": "containerd://4444",
            "ready": false, "started": true, "restartCount": 0,
            "state": { "running": { "startedAt": "2025-06-01T10:00:03Z" } }, "lastState": {} }
        ],
        "qosClass": "BestEffort"
      }
    }
    """;

    public static JsonObject NotReady() => JsonNode.Parse(Template)!.AsObject();

    public static JsonObject AllReady() => NotReady().Ready("envoy").Ready("log-shipper");

    public static JsonElement Element(this JsonObject pod) => JsonDocument.Parse(pod.ToJsonString()).RootElement.Clone();

    public static JsonObject Ready(this JsonObject pod, string container) => pod.Edit(container, s => s["ready"] = true);

    public static JsonObject Set(this JsonObject pod, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = pod;
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }

        node[parts[^1]] = value;
        return pod;
    }

    public static JsonObject Running(this JsonObject pod, string container) =>
        pod.Edit(container, s => s["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2025-06-01T10:00:03Z" } });

    public static JsonObject Terminated(this JsonObject pod, string container, int exitCode, string reason = "Error", string finishedAt = "2025-06-01T10:05:00Z") =>
        pod.Edit(container, s =>
        {
            s["ready"] = false;
            s["started"] = false;
            s["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = exitCode,
                    ["reason"] = reason,
                    ["startedAt"] = "2025-06-01T10:00:03Z",
                    ["finishedAt"] = finishedAt,
                    ["containerID"] = "containerd://9999",
                },
            };
        });

    public static JsonObject CrashLooping(this JsonObject pod, string container, int restarts) =>
        pod.Edit(container, s =>
        {
            s["ready"] = false;
            s["started"] = false;
            s["restartCount"] = restarts;
            s["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = "back-off 40s restarting failed container" } };
            s["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["finishedAt"] = "2025-06-01T10:01:00Z" } };
        });

    public static JsonObject Waiting(this JsonObject pod, string container, string reason) =>
        pod.Edit(container, s =>
        {
            s["ready"] = false;
            s["started"] = false;
            s["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason } };
        });

    /// <summary>Edits the status entry of a container, looking in containerStatuses then initContainerStatuses.</summary>
    public static JsonObject Edit(this JsonObject pod, string container, Action<JsonObject> edit)
    {
        foreach (var list in new[] { "containerStatuses", "initContainerStatuses" })
        {
            foreach (var status in pod["status"]![list]!.AsArray())
            {
                if ((string?)status!["name"] == container)
                {
                    edit(status.AsObject());
                    return pod;
                }
            }
        }

        throw new ArgumentException($"no status for container {container}");
    }
}
