using System.Text.Json.Nodes;
using k8s.Models;

namespace Rollout.Drift;

/// <summary>
/// Says what differs between a container as it runs and as the injector would now write it, in the words a
/// reviewer wants: <c>image 0.1.0 -> 0.2.0</c>, <c>resources.limits.memory 32Mi -> 64Mi</c>, <c>env LOG_LEVEL warn -> info</c>.
/// Lists are compared by name where Kubernetes merges them by name (env, volumeMounts, ports); quantities are
/// compared as quantities (the API server may spell <c>0.5</c> as <c>500m</c>). At most
/// <see cref="MaxChanges"/> changes are named, then a count.
/// </summary>
public static class ContainerDiff
{
    public const int MaxChanges = 4;

    private const int MaxValueLength = 60;

    public static IReadOnlyList<string> Describe(JsonObject? before, JsonObject? after, Func<string, bool>? fieldFilter = null)
    {
        var changes = new List<string>();
        if (before is null && after is null)
        {
            return changes;
        }

        if (before is null)
        {
            return [$"container {Name(after!)} would be added"];
        }

        if (after is null)
        {
            return [$"container {Name(before)} would be removed"];
        }

        var keys = before.Select(kv => kv.Key).Union(after.Select(kv => kv.Key), StringComparer.Ordinal)
            .Where(k => k != "name")
            .OrderBy(k => Rank(k))
            .ThenBy(k => k, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (fieldFilter is not null && !fieldFilter(key))
            {
                continue;
            }

            var a = before[key];
            var b = after[key];
            switch (key)
            {
                case "image":
                    if (Text(a) != Text(b))
                    {
                        changes.Add($"image {ImageChange.Describe(Text(a), Text(b))}");
                    }

                    break;
                case "env" or "volumeMounts" or "ports":
                    ByName(key, a as JsonArray, b as JsonArray, changes);
                    break;
                case "resources":
                    Leaves("resources", a, b, changes, quantities: true);
                    break;
                case "command" or "args" or "readinessProbe" or "livenessProbe" or "startupProbe" or "lifecycle":
                    if (!JsonNode.DeepEquals(a, b))
                    {
                        changes.Add($"{key} changed");
                    }

                    break;
                default:
                    Leaves(key, a, b, changes, quantities: false);
                    break;
            }
        }

        if (changes.Count > MaxChanges)
        {
            var more = changes.Count - MaxChanges;
            changes.RemoveRange(MaxChanges, more);
            changes.Add($"{more} more change{(more == 1 ? "" : "s")}");
        }

        return changes;
    }

    private static int Rank(string key) => key switch
    {
        "image" => 0,
        "imagePullPolicy" => 1,
        "resources" => 2,
        "env" => 3,
        _ => 4,
    };

    private static void ByName(string key, JsonArray? before, JsonArray? after, List<string> changes)
    {
        var a = Index(before);
        var b = Index(after);
        var singular = key switch
        {
            "volumeMounts" => "volumeMount",
            "ports" => "port",
            _ => "env",
        };
        foreach (var name in a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            a.TryGetValue(name, out var x);
            b.TryGetValue(name, out var y);
            if (x is null)
            {
                changes.Add($"{singular} {name} added");
            }
            else if (y is null)
            {
                changes.Add($"{singular} {name} removed");
            }
            else if (!JsonNode.DeepEquals(x, y))
            {
                changes.Add(key == "env" && Text(x["value"]) is { } v1 && Text(y["value"]) is { } v2
                    ? $"env {name} {Short(v1)} -> {Short(v2)}"
                    : $"{singular} {name} changed");
            }
        }
    }

    private static Dictionary<string, JsonObject> Index(JsonArray? list)
    {
        var index = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in list?.OfType<JsonObject>() ?? [])
        {
            var name = Text(item["name"]) ?? (item["containerPort"]?.ToJsonString() is { } port ? port + "/" + (Text(item["protocol"]) ?? "TCP") : null);
            if (name is not null)
            {
                index[name] = item;
            }
        }

        return index;
    }

    private static void Leaves(string path, JsonNode? before, JsonNode? after, List<string> changes, bool quantities)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var key in a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                Leaves($"{path}.{key}", a[key], b[key], changes, quantities);
            }

            return;
        }

        if (Same(before, after, quantities))
        {
            return;
        }

        changes.Add($"{path} {Show(before)} -> {Show(after)}");
    }

    private static bool Same(JsonNode? a, JsonNode? b, bool quantities)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return true;
        }

        if (quantities && Scalar(a) is { } x && Scalar(b) is { } y)
        {
            try
            {
                return new ResourceQuantity(x).ToDecimal() == new ResourceQuantity(y).ToDecimal();
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                return false;
            }
        }

        return false;
    }

    private static string? Scalar(JsonNode? node) => node is JsonValue v ? (Text(v) ?? v.ToJsonString()) : null;

    private static string Show(JsonNode? node) => node switch
    {
        null => "(none)",
        JsonValue v => Short(Text(v) ?? v.ToJsonString()),
        _ => Short(node.ToJsonString()),
    };

    private static string Short(string text) => text.Length <= MaxValueLength ? text : text[..(MaxValueLength - 3)] + "...";

    private static string Name(JsonObject container) => Text(container["name"]) ?? "(unnamed)";

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
