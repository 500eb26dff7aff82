using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Yaml;

namespace Injector.Core.Manifests;

/// <summary>
/// Offline injection (like <c>istioctl kube-inject</c>): runs each workload's pod template in a multi-document YAML
/// stream through the same engine as the webhook. Objects without a pod template pass through unchanged.
/// </summary>
public sealed class ManifestInjector
{
    private readonly InjectionEngine _engine;

    public ManifestInjector(InjectionEngine engine)
    {
        _engine = engine;
    }

    public ManifestResult Inject(string yaml, InjectorConfig config)
    {
        var documents = YamlJson.ParseAll(yaml);
        var messages = new List<string>();
        var denied = false;
        foreach (var document in documents)
        {
            if (document is JsonObject obj)
            {
                denied |= !InjectObject(obj, config, messages);
            }
        }

        return new ManifestResult(YamlJson.Serialize(documents), messages, denied);
    }

    private bool InjectObject(JsonObject obj, InjectorConfig config, List<string> messages)
    {
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : null;
        if (kind is "List" && obj["items"] is JsonArray items)
        {
            var ok = true;
            foreach (var item in items.OfType<JsonObject>())
            {
                ok &= InjectObject(item, config, messages);
            }

            return ok;
        }

        if (PodTemplate(obj, kind) is not { } template)
        {
            return true;
        }

        var label = $"{kind}/{Name(obj)}";
        var result = _engine.Inject(template, config);
        foreach (var warning in result.Warnings)
        {
            messages.Add($"warning: {label}: {warning}");
        }

        if (result.Decision == InjectionDecision.Denied)
        {
            messages.Add($"error: {label}: {result.Message}");
            return false;
        }

        if (result.Decision == InjectionDecision.Injected && result.Pod is { } injected)
        {
            // Replace in place: the template object is owned by its parent (or is the document itself).
            template.Clear();
            foreach (var (property, value) in injected.ToList())
            {
                injected.Remove(property);
                template[property] = value;
            }
        }

        return true;
    }

    /// <summary>The pod, or the pod template of a workload kind; null for objects that have none.</summary>
    private static JsonObject? PodTemplate(JsonObject obj, string? kind) => kind switch
    {
        "Pod" => obj,
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "ReplicationController" => obj["spec"]?["template"] as JsonObject,
        "CronJob" => obj["spec"]?["jobTemplate"]?["spec"]?["template"] as JsonObject,
        _ => null,
    };

    private static string Name(JsonObject obj) =>
        obj["metadata"]?["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "(unnamed)";
}
