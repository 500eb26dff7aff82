using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Yaml;

namespace Injector.Core.Manifests;

/// <summary>
/// Offline injection (like <c>istioctl kube-inject</c>): runs each workload's pod template in a multi-document YAML
/// stream through the same engine as the webhook. Documents are read as kubectl reads them, so objects without a pod
/// template, or that do not opt in, come out as kubectl would read them in. A document that cannot be read or is
/// denied is left out and reported (index, kind/name, line); the others still come out.
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
        var output = new StringBuilder();
        var messages = new List<string>();
        var failed = false;
        var first = true;
        IEnumerable<YamlStreamDocument> documents;
        try
        {
            documents = YamlJson.ReadStream(yaml, YamlLimits.Manifests);
        }
        catch (YamlJsonException ex)
        {
            return new ManifestResult(string.Empty, [$"error: {ex.Message}"], AnyDenied: true);
        }

        foreach (var document in documents)
        {
            if (document.Error is { } error)
            {
                messages.Add($"error: document {document.Index} (line {document.Line}): {error.Message}");
                failed = true;
                continue;
            }

            var where = new Where(document.Index, document.Line, null);
            if (document.Node is JsonObject obj && !InjectObject(obj, config, where, messages))
            {
                failed = true;
                if (!IsList(obj))
                {
                    continue;
                }
            }

            if (!first)
            {
                output.Append("---\n");
            }

            first = false;
            try
            {
                YamlJson.WriteDocument(output, document.Node);
            }
            catch (Exception ex) when (ex is YamlJsonException or ArgumentException or InvalidOperationException)
            {
                messages.Add($"error: {where.Describe(document.Node as JsonObject)}: cannot be written as YAML: {ex.Message}");
                failed = true;
            }
        }

        return new ManifestResult(output.ToString(), messages, failed);
    }

    /// <summary>Injects the object (or each item of a List); false when something was denied.</summary>
    private bool InjectObject(JsonObject obj, InjectorConfig config, Where where, List<string> messages)
    {
        if (IsList(obj) && obj["items"] is JsonArray items)
        {
            // A denied item is left out of the List; the others stay.
            var ok = true;
            for (int i = 0, number = 1; i < items.Count; number++)
            {
                if (items[i] is JsonObject item && !InjectObject(item, config, where with { ListItem = number }, messages))
                {
                    items.RemoveAt(i);
                    ok = false;
                }
                else
                {
                    i++;
                }
            }

            return ok;
        }

        if (PodTemplate(obj, Kind(obj)) is not { } template)
        {
            return true;
        }

        var label = where.Describe(obj);
        if (NonStringValue(template) is { } problem)
        {
            // The engine reads annotations as strings only, so an unquoted number would be ignored without a word.
            messages.Add($"error: {label}: {problem}");
            return false;
        }

        InjectionResult result;
        try
        {
            result = _engine.Inject(template, config);
        }
        catch (Exception ex)
        {
            // The engine must not fail on any pod; if it ever does, this document is refused and the others go on.
            messages.Add($"error: {label}: the injector failed on this object: {ex.Message}");
            return false;
        }

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

    /// <summary>
    /// The first annotation or label of the pod template whose value is not a string (kubectl refuses such an object:
    /// they are map[string]string), as a sentence that says how to fix it; null when all are strings.
    /// </summary>
    private static string? NonStringValue(JsonObject template)
    {
        if (template["metadata"] is not JsonObject metadata)
        {
            return null;
        }

        foreach (var field in (ReadOnlySpan<string>)["annotations", "labels"])
        {
            if (metadata[field] is not JsonObject map)
            {
                continue;
            }

            foreach (var (key, value) in map)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out _))
                {
                    var shown = value?.ToJsonString() ?? "null";
                    return $"metadata.{field}[\"{key}\"] is {shown}, not a string (kubectl refuses it too: {field} values are strings); quote it, for example \"{(value is JsonValue ? shown.Trim('"') : "")}\"";
                }
            }
        }

        return null;
    }

    /// <summary>kubectl flattens any *List kind that has items (v1 List, PodList, DeploymentList, ...).</summary>
    private static bool IsList(JsonObject obj) =>
        Kind(obj) is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray;

    /// <summary>The pod, or the pod template of a workload kind; null for objects that have none.</summary>
    private static JsonObject? PodTemplate(JsonObject obj, string? kind) => kind switch
    {
        "Pod" => obj,
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "ReplicationController" => Child(obj, "spec", "template"),
        "CronJob" => Child(obj, "spec", "jobTemplate", "spec", "template"),
        _ => null,
    };

    /// <summary>The object at a path of keys; null when any step is missing or not an object (input is untrusted).</summary>
    private static JsonObject? Child(JsonObject obj, params string[] path)
    {
        JsonObject? current = obj;
        foreach (var key in path)
        {
            current = current?[key] as JsonObject;
        }

        return current;
    }

    private static string? Kind(JsonObject obj) => obj["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Where an object is in the input, for messages: "document 2 (List item 3, Deployment/web, line 14)".</summary>
    private readonly record struct Where(int Index, int Line, int? ListItem)
    {
        public string Describe(JsonObject? obj)
        {
            var parts = new List<string>(3);
            if (ListItem is { } item)
            {
                parts.Add($"List item {item}");
            }

            if (obj is not null && Kind(obj) is { } kind)
            {
                parts.Add($"{kind}/{Name(obj)}");
            }

            parts.Add($"line {Line}");
            return $"document {Index} ({string.Join(", ", parts)})";
        }

        private static string Name(JsonObject obj) =>
            obj["metadata"] is not JsonObject metadata ? "(no name)"
            : metadata["name"] is JsonValue name && name.TryGetValue<string>(out var n) ? n
            : metadata["generateName"] is JsonValue prefix && prefix.TryGetValue<string>(out var p) ? p + "*"
            : "(no name)";
    }
}
