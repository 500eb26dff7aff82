using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestKit.Kube.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) for built-in types, following
/// k8s.io/apimachinery/pkg/util/strategicpatch: maps merge and null deletes; lists with a merge key (containers,
/// initContainers, volumes and env by name, volumeMounts by mountPath, container ports by containerPort, Service
/// ports by port, conditions by type, ownerReferences by uid, ...) merge element by element; other lists are
/// replaced. Directives: <c>$patch: replace|delete|merge</c> on maps and list elements, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c> and <c>$setElementOrder/&lt;field&gt;</c>.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";
    private const string SetElementOrderPrefix = "$setElementOrder/";

    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="original"/> of kind <paramref name="kind"/>.</summary>
    /// <exception cref="PatchFormatException">A malformed directive (the server answers 400).</exception>
    /// <exception cref="PatchApplyException">A list element without its merge key (the server answers 500).</exception>
    public static JsonObject Apply(JsonObject original, JsonObject patch, string kind)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(patch);
        return MergeMap((JsonObject)original.DeepClone(), patch, kind, []) ?? [];
    }

    /// <summary>The merge key of the list at <paramref name="path"/> (field names, no indices), or null when the list is atomic.</summary>
    public static ListStrategy? StrategyFor(string kind, IReadOnlyList<string> path)
    {
        if (path.Count == 0)
        {
            return null;
        }

        var field = path[^1];
        var inContainer = path.Count >= 2 && path[^2] is "containers" or "initContainers" or "ephemeralContainers";
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" => new ListStrategy("name"),
            "volumes" or "imagePullSecrets" or "resourceClaims" or "schedulingGates" => new ListStrategy("name"),
            "env" when inContainer => new ListStrategy("name"),
            "volumeMounts" when inContainer => new ListStrategy("mountPath"),
            "volumeDevices" when inContainer => new ListStrategy("devicePath"),
            "ports" when inContainer => new ListStrategy("containerPort"),
            "ports" when kind == "Service" && path.Count == 2 && path[0] == "spec" => new ListStrategy("port"),
            "hostAliases" => new ListStrategy("ip"),
            "topologySpreadConstraints" => new ListStrategy("topologyKey"),
            "conditions" when path.Count >= 2 && path[^2] == "status" => new ListStrategy("type"),
            "ownerReferences" when path.Count == 2 && path[0] == "metadata" => new ListStrategy("uid"),
            "finalizers" when path.Count == 2 && path[0] == "metadata" => new ListStrategy(null),
            "secrets" when kind == "ServiceAccount" => new ListStrategy("name"),
            "webhooks" when kind is "MutatingWebhookConfiguration" or "ValidatingWebhookConfiguration" => new ListStrategy("name"),
            _ => null,
        };
    }

    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, string kind, List<string> path)
    {
        if (patch[PatchDirective] is JsonValue directive)
        {
            var value = directive.GetValueKind() == JsonValueKind.String ? directive.GetValue<string>() : directive.ToJsonString();
            switch (value)
            {
                case "replace":
                {
                    var replacement = (JsonObject)patch.DeepClone();
                    replacement.Remove(PatchDirective);
                    return StripDirectives(replacement);
                }

                case "delete":
                    return null;
                case "merge":
                    break;
                default:
                    throw new PatchFormatException($"Unknown patch type: {value} in map: {patch.ToJsonString()}");
            }
        }

        JsonArray? retainKeys = null;
        foreach (var (key, value) in patch)
        {
            if (key == PatchDirective)
            {
                continue;
            }

            if (key == RetainKeysDirective)
            {
                retainKeys = value as JsonArray ?? throw new PatchFormatException($"invalid patch: {RetainKeysDirective} must be a list of strings");
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveListPrefix.Length..];
                if (value is not JsonArray remove)
                {
                    throw new PatchFormatException($"invalid patch: {key} must be a list");
                }

                if (original[field] is JsonArray list)
                {
                    var kept = list.Where(item => !remove.Any(r => KubeJson.SemanticEquals(r, item))).Select(i => i?.DeepClone()).ToArray();
                    original[field] = new JsonArray(kept);
                }

                continue;
            }

            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue; // applied after the merge
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            original.TryGetPropertyValue(key, out var current);
            path.Add(key);
            try
            {
                switch (value)
                {
                    case JsonObject patchMap when current is JsonObject currentMap:
                    {
                        var merged = MergeMap(currentMap, patchMap, kind, path);
                        if (merged is null)
                        {
                            original.Remove(key);
                        }
                        else if (!ReferenceEquals(merged, currentMap))
                        {
                            original[key] = merged;
                        }

                        break;
                    }

                    case JsonObject patchMap:
                    {
                        var merged = MergeMap([], patchMap, kind, path);
                        if (merged is null)
                        {
                            original.Remove(key);
                        }
                        else
                        {
                            original[key] = merged;
                        }

                        break;
                    }

                    case JsonArray patchList when StrategyFor(kind, path) is { } strategy:
                        original[key] = MergeList(current as JsonArray ?? [], patchList, strategy, kind, path);
                        break;
                    default:
                        original[key] = StripDirectives(value.DeepClone());
                        break;
                }
            }
            finally
            {
                path.RemoveAt(path.Count - 1);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrderPrefix.Length..];
                path.Add(field);
                var strategy = StrategyFor(kind, path);
                path.RemoveAt(path.Count - 1);
                if (original[field] is JsonArray list)
                {
                    original[field] = Reorder(list, order, strategy?.MergeKey);
                }
            }
        }

        if (retainKeys is not null)
        {
            var keep = retainKeys.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in original.Select(p => p.Key).ToList())
            {
                if (!keep.Contains(key))
                {
                    original.Remove(key);
                }
            }
        }

        return original;
    }

    private static JsonArray MergeList(JsonArray original, JsonArray patch, ListStrategy strategy, string kind, List<string> path)
    {
        if (patch.Any(item => item is JsonObject o && o.Count == 1 && (string?)o[PatchDirective] == "replace"))
        {
            return new JsonArray(patch.Where(item => !(item is JsonObject o && o.ContainsKey(PatchDirective))).Select(i => StripDirectives(i?.DeepClone())).ToArray());
        }

        if (strategy.MergeKey is null)
        {
            // A list of primitives with the merge strategy (finalizers): union, original order first.
            var result = new JsonArray(original.Select(i => i?.DeepClone()).ToArray());
            foreach (var item in patch)
            {
                if (!result.Any(existing => KubeJson.SemanticEquals(existing, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return result;
        }

        var key = strategy.MergeKey;
        var merged = original.Select(i => i?.DeepClone()).ToList();
        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                throw new PatchApplyException($"merging a list with merge key {key}: element {item?.ToJsonString() ?? "null"} is not a map");
            }

            if (!element.TryGetPropertyValue(key, out var keyValue) || keyValue is null)
            {
                throw new PatchApplyException($"map: {element.ToJsonString()} does not contain declared merge key: {key}");
            }

            var index = merged.FindIndex(existing => existing is JsonObject o && KubeJson.SemanticEquals(o[key], keyValue));
            var isDelete = (string?)element[PatchDirective] == "delete";
            if (isDelete)
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                merged[index] = MergeMap((JsonObject)merged[index]!, element, kind, path);
            }
            else
            {
                merged.Add(MergeMap([], element, kind, path));
            }
        }

        return new JsonArray(merged.Where(m => m is not null).ToArray());
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? item) => mergeKey is null ? item : (item as JsonObject)?[mergeKey];
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var entry in order)
        {
            var wanted = mergeKey is null ? entry : (entry as JsonObject)?[mergeKey];
            var index = items.FindIndex(i => KubeJson.SemanticEquals(KeyOf(i), wanted));
            if (index >= 0)
            {
                ordered.Add(items[index]);
                items.RemoveAt(index);
            }
        }

        ordered.AddRange(items); // elements the order does not name keep their relative order, at the end
        return new JsonArray(ordered.ToArray());
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, value) in o.ToList())
                {
                    StripDirectives(value);
                }

                return o;
            case JsonArray a:
                foreach (var item in a)
                {
                    StripDirectives(item);
                }

                return a;
            default:
                return node;
        }
    }

    private static JsonObject? StripDirectives(JsonObject node) => (JsonObject?)StripDirectives((JsonNode)node);
}

/// <summary>How a list merges: by <see cref="MergeKey"/>, or as a set of primitives when the key is null.</summary>
public sealed record ListStrategy(string? MergeKey);
