using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Patching;

namespace Injector.Core.Tests.Support;

/// <summary>Small helpers for engine tests: a pod from JSON fragments, one pass applied with the RFC 6902 applier.</summary>
public static class EnginePods
{
    public static readonly InjectionEngine Engine = new();

    public static JsonObject Pod(string annotations, string containers = """[{"name":"app","image":"nginx","command":["/app"]}]""", string extraSpec = "") =>
        JsonNode.Parse($$$"""{"metadata":{"name":"p","annotations":{{{annotations}}}},"spec":{"containers":{{{containers}}}{{{extraSpec}}}}}""")!.AsObject();

    public static InjectionResult Inject(JsonObject pod, InjectorConfig? config = null) => Engine.Inject(pod, config ?? InjectorConfig.Default);

    /// <summary>One admission pass: the engine's patch applied to the pod; fails unless the pod was admitted.</summary>
    public static JsonObject Pass(JsonObject pod, InjectorConfig? config = null) => Pass(pod, out _, config);

    public static JsonObject Pass(JsonObject pod, out InjectionResult result, InjectorConfig? config = null)
    {
        result = Engine.Inject(pod, config ?? InjectorConfig.Default);
        Assert.True(result.Decision != InjectionDecision.Denied, "denied: " + result.Message);
        return result.Patch.Count == 0 ? pod.DeepClone().AsObject() : Rfc6902.Apply(pod, JsonPatchSerializer.ToJson(result.Patch));
    }

    public static JsonObject Container(JsonObject pod, string name) =>
        pod["spec"]!["initContainers"]?.AsArray().Concat(pod["spec"]!["containers"]!.AsArray())
            .OfType<JsonObject>().FirstOrDefault(c => c["name"]?.GetValue<string>() == name)
        ?? pod["spec"]!["containers"]!.AsArray().OfType<JsonObject>().Single(c => c["name"]?.GetValue<string>() == name);

    public static IReadOnlyList<string> Names(JsonObject pod, string list) =>
        pod["spec"]![list] is JsonArray a ? a.OfType<JsonObject>().Select(c => c["name"]!.GetValue<string>()).ToList() : [];

    public static string Status(JsonObject pod) => pod["metadata"]!["annotations"]!["sidecars.dev/status"]!.GetValue<string>();
}
