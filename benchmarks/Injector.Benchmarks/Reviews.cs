using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Injector.Benchmarks;

/// <summary>
/// The two AdmissionReviews every part of the bench uses (engine, webhook over HTTP/1.1 and HTTP/2, nginx ceiling):
/// the golden <c>appup-plain-pod</c> review as the small pod, and a large pod built from it with 50 containers, each
/// with 20 env vars, ports, resources, probes and mounts, the shape of a big Deployment's pod template.
/// </summary>
internal static class Reviews
{
    public const int LargeContainers = 50;
    public const int EnvPerContainer = 20;

    public static byte[] Small() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Reviews", "small.json"));

    public static byte[] Large()
    {
        var review = JsonNode.Parse(Small())!.AsObject();
        var request = review["request"]!.AsObject();
        request["uid"] = "7b1f0c2e-0001-4c1a-8f00-00000000b16b";
        var pod = request["object"]!.AsObject();
        var metadata = pod["metadata"]!.AsObject();
        metadata["name"] = "large";
        metadata["labels"] = new JsonObject { ["app"] = "large", ["tier"] = "backend", ["pod-template-hash"] = "6d4b75cb6d" };
        var containers = new JsonArray();
        var volumes = new JsonArray();
        for (int i = 0; i < LargeContainers; i++)
        {
            var name = i == 0 ? "app" : "worker-" + i.ToString("D2", CultureInfo.InvariantCulture);
            var env = new JsonArray();
            for (int e = 0; e < EnvPerContainer; e++)
            {
                env.Add(new JsonObject
                {
                    ["name"] = $"SETTING_{i:D2}_{e:D2}",
                    ["value"] = $"value-{i:D2}-{e:D2}-https://config.internal.example.com/services/{name}/settings/{e}",
                });
            }

            env.Add(new JsonObject
            {
                ["name"] = "POD_IP",
                ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "status.podIP" } },
            });
            volumes.Add(new JsonObject { ["name"] = "cache-" + name, ["emptyDir"] = new JsonObject() });
            containers.Add(new JsonObject
            {
                ["name"] = name,
                ["image"] = "registry.example.com/team/" + name + ":1.4.2",
                ["imagePullPolicy"] = "IfNotPresent",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8000 + i, ["protocol"] = "TCP" }),
                ["env"] = env,
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
                    ["limits"] = new JsonObject { ["memory"] = "128Mi" },
                },
                ["livenessProbe"] = new JsonObject
                {
                    ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8000 + i, ["scheme"] = "HTTP" },
                    ["periodSeconds"] = 10,
                    ["timeoutSeconds"] = 1,
                    ["successThreshold"] = 1,
                    ["failureThreshold"] = 3,
                },
                ["volumeMounts"] = new JsonArray(
                    new JsonObject { ["name"] = "cache-" + name, ["mountPath"] = "/cache" },
                    new JsonObject { ["name"] = "kube-api-access-x7k2p", ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount", ["readOnly"] = true }),
                ["terminationMessagePath"] = "/dev/termination-log",
                ["terminationMessagePolicy"] = "File",
            });
        }

        volumes.Add(new JsonObject
        {
            ["name"] = "kube-api-access-x7k2p",
            ["projected"] = new JsonObject
            {
                ["defaultMode"] = 420,
                ["sources"] = new JsonArray(
                    new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                    new JsonObject { ["configMap"] = new JsonObject { ["name"] = "kube-root-ca.crt", ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }) } }),
            },
        });
        var spec = pod["spec"]!.AsObject();
        spec["containers"] = containers;
        spec["volumes"] = volumes;
        spec["serviceAccountName"] = "default";
        spec["terminationGracePeriodSeconds"] = 30;
        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }
}
