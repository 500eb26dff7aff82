using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using TestKit.Kube;
using TestKit.Kube.Strategies;

namespace Rollout.Tests.Support;

/// <summary>Pods as a cluster holds them: injected by the engine under some config, then defaulted by the API server.</summary>
public static class Pods
{
    private static readonly InjectionEngine Engine = new();

    public static JsonObject Injected(string inject, InjectorConfig config, string app = "web", Action<JsonObject>? before = null)
    {
        var template = World.Template(app, inject);
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = template["metadata"]!.DeepClone(),
            ["spec"] = template["spec"]!.DeepClone(),
        };
        pod.Metadata()["name"] = app + "-abc";
        pod.Metadata()["namespace"] = "shop";
        before?.Invoke(pod);
        var result = Engine.Inject(pod, config);
        Assert.Equal(InjectionDecision.Injected, result.Decision);
        var live = result.Pod!;
        Defaults.Pod(live);
        return live;
    }

    /// <summary>The pod's status annotation rewritten as version 1 (no version, per-sidecar records or written values).</summary>
    public static JsonObject WithVersion1Status(JsonObject pod)
    {
        var annotations = (JsonObject)pod.At("metadata.annotations")!;
        var status = JsonNode.Parse((string)annotations[AnnotationKeys.Status]!)!.AsObject();
        status.Remove("version");
        status.Remove("injected");
        if (status["targets"] is JsonObject targets)
        {
            foreach (var (_, target) in targets)
            {
                (target as JsonObject)?.Remove("wrote");
            }
        }

        annotations[AnnotationKeys.Status] = status.ToJsonString();
        return pod;
    }
}
