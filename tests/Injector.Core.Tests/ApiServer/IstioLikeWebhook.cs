using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// An Istio-like sidecar injector with native sidecars: skips pods that carry <c>sidecar.istio.io/status</c>
/// (already injected) or opt out; otherwise puts <c>istio-init</c> and the <c>istio-proxy</c> native sidecar in front
/// of the init containers, adds its volumes, labels and status annotation, and rewrites the httpGet probes of the app
/// containers to the proxy's <c>/app-health/&lt;container&gt;/&lt;kind&gt;</c> on port 15021, keeping the originals in
/// ISTIO_KUBE_APP_PROBERS (what Istio's probe rewrite does). Istio's chart registers it with reinvocationPolicy
/// Never by default.
/// </summary>
public sealed class IstioLikeWebhook : IMutatingWebhook
{
    public const string StatusAnnotation = "sidecar.istio.io/status";
    public const string ProxyImage = "docker.io/istio/proxyv2:1.27.0";
    public static readonly string[] Volumes = ["istio-envoy", "istio-data", "istio-podinfo", "istio-token"];

    public IstioLikeWebhook(ReinvocationPolicy policy = ReinvocationPolicy.Never)
    {
        Policy = policy;
    }

    public string Name => "sidecar-injector.istio.io";

    public ReinvocationPolicy Policy { get; }

    public bool Matches(JsonObject pod) => true;

    public WebhookResponse Answer(JsonObject review) => JsonPatchBuilder.Respond(review, pod =>
    {
        var metadata = PodDefaults.Obj(pod, "metadata");
        var annotations = metadata["annotations"] as JsonObject;
        if (annotations?[StatusAnnotation] is not null || PodDefaults.Text(annotations?["sidecar.istio.io/inject"]) == "false")
        {
            return null;
        }

        var spec = pod["spec"]!.AsObject();
        var probers = new JsonObject();
        foreach (var container in PodDefaults.Items(spec, "containers"))
        {
            var name = PodDefaults.Text(container["name"]);
            foreach (var (probe, kind) in new[] { ("readinessProbe", "readyz"), ("livenessProbe", "livez"), ("startupProbe", "startupz") })
            {
                if (container[probe] is JsonObject p && p["httpGet"] is JsonObject get)
                {
                    var path = $"/app-health/{name}/{kind}";
                    probers[path] = new JsonObject { ["httpGet"] = get.DeepClone(), ["timeoutSeconds"] = p["timeoutSeconds"]?.DeepClone() };
                    p["httpGet"] = new JsonObject { ["path"] = path, ["port"] = 15021, ["scheme"] = "HTTP" };
                }
            }
        }

        var proxy = new JsonObject
        {
            ["name"] = "istio-proxy",
            ["image"] = ProxyImage,
            ["args"] = new JsonArray("proxy", "sidecar"),
            ["restartPolicy"] = "Always",
            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 15090, ["name"] = "http-envoy-prom", ["protocol"] = "TCP" }),
            ["env"] = new JsonArray(new JsonObject { ["name"] = "ISTIO_KUBE_APP_PROBERS", ["value"] = probers.ToJsonString() }),
            ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz/ready", ["port"] = 15021 }, ["periodSeconds"] = 15 },
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "istio-envoy", ["mountPath"] = "/etc/istio/proxy" },
                new JsonObject { ["name"] = "istio-data", ["mountPath"] = "/var/lib/istio/data" },
                new JsonObject { ["name"] = "istio-podinfo", ["mountPath"] = "/etc/istio/pod" },
                new JsonObject { ["name"] = "istio-token", ["mountPath"] = "/var/run/secrets/tokens" }),
        };
        var init = new JsonObject
        {
            ["name"] = "istio-init",
            ["image"] = ProxyImage,
            ["args"] = new JsonArray("istio-iptables", "-p", "15001"),
        };
        var inits = spec["initContainers"] as JsonArray ?? [];
        spec.Remove("initContainers");
        var reordered = new JsonArray(init, proxy);
        foreach (var existing in inits.ToList())
        {
            inits.Remove(existing);
            reordered.Add(existing);
        }

        spec["initContainers"] = reordered;
        if (spec["volumes"] is not JsonArray volumes)
        {
            volumes = [];
            spec["volumes"] = volumes;
        }

        volumes.Add(new JsonObject { ["name"] = "istio-envoy", ["emptyDir"] = new JsonObject { ["medium"] = "Memory" } });
        volumes.Add(new JsonObject { ["name"] = "istio-data", ["emptyDir"] = new JsonObject() });
        volumes.Add(new JsonObject
        {
            ["name"] = "istio-podinfo",
            ["downwardAPI"] = new JsonObject
            {
                ["items"] = new JsonArray(new JsonObject { ["path"] = "labels", ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.labels" } }),
            },
        });
        volumes.Add(new JsonObject
        {
            ["name"] = "istio-token",
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(new JsonObject
                {
                    ["serviceAccountToken"] = new JsonObject { ["audience"] = "istio-ca", ["expirationSeconds"] = 43200, ["path"] = "istio-token" },
                }),
            },
        });
        annotations ??= PodDefaults.Obj(metadata, "annotations");
        annotations[StatusAnnotation] = """{"initContainers":["istio-init","istio-proxy"],"containers":null,"volumes":["istio-envoy","istio-data","istio-podinfo","istio-token"],"imagePullSecrets":null,"revision":"default"}""";
        PodDefaults.Obj(metadata, "labels")["security.istio.io/tlsMode"] = "istio";
        return pod;
    });
}
