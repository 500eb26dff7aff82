using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>
/// Converges a sidecar container an earlier pass injected toward what this pass wants, in place, so whatever
/// others added since (a service account token mount, env from a secrets webhook, resources from a LimitRange,
/// fields the API server defaulted) stays:
/// <list type="bullet">
/// <item>fields the plan writes get the desired value; fields it does not write are kept;</item>
/// <item>keyed lists merge by key (env and volumeMounts by name): the plan's keys get its values, its keys it no
/// longer wants go, everyone else's stay where they are;</item>
/// <item>when nothing that shapes the sidecar changed (same hash as recorded), objects (resources,
/// securityContext) and ports merge leaf by leaf, so leaves added by others stay; when something changed, they are
/// replaced, and keys the plan may write but no longer does are dropped.</item>
/// </list>
/// Every change is reported through <c>changed</c> so the diff sees it.
/// </summary>
internal static class ContainerMerge
{
    private static readonly string[] StaleWhenChanged = ["restartPolicy", "command", "args", "ports", "resources", "securityContext"];

    public static void Converge(
        JsonObject existing, JsonObject desired, bool unchangedSidecar, IReadOnlyCollection<string> envNames, IReadOnlyCollection<string> volumeNames,
        Action<JsonNode> changed, WorkMeter work)
    {
        var keys = desired.Select(kv => kv.Key).ToList();
        foreach (var key in keys)
        {
            var value = desired[key];
            desired.Remove(key);
            switch (key)
            {
                case "name":
                    break;
                case "env" when value is JsonArray list:
                    MergeNamed(existing, key, list, envNames, changed, work);
                    break;
                case "volumeMounts" when value is JsonArray list:
                    MergeNamed(existing, key, list, volumeNames, changed, work);
                    break;
                case "ports" when unchangedSidecar && value is JsonArray list && existing[key] is JsonArray current:
                    MergePorts(current, list, changed, work);
                    break;
                case "resources" or "securityContext" when unchangedSidecar && value is JsonObject obj && existing[key] is JsonObject current:
                    MergeLeaves(current, obj, changed, work);
                    break;
                default:
                    if (!JsonNode.DeepEquals(existing[key], value))
                    {
                        existing[key] = value;
                        changed(existing);
                    }

                    break;
            }
        }

        if (!unchangedSidecar)
        {
            foreach (var key in StaleWhenChanged)
            {
                if (!keys.Contains(key) && existing.Remove(key))
                {
                    changed(existing);
                }
            }
        }
    }

    /// <summary>
    /// Merges a list of named entries: entries named in <paramref name="desired"/> get its value (kept as they are
    /// when they already contain it), other entries named in <paramref name="ours"/> go, the rest stay in place;
    /// new entries are appended in the desired order.
    /// </summary>
    public static void MergeNamed(JsonObject owner, string key, JsonArray desired, IReadOnlyCollection<string> ours, Action<JsonNode> changed, WorkMeter work)
    {
        if (owner[key] is not JsonArray existing)
        {
            owner[key] = desired;
            changed(owner);
            return;
        }

        var wanted = new Dictionary<string, JsonNode>(desired.Count, StringComparer.Ordinal);
        var order = new List<string>(desired.Count);
        foreach (var item in desired)
        {
            if (JsonValues.Text(item?["name"]) is { } name && item is not null && wanted.TryAdd(name, item))
            {
                order.Add(name);
            }
        }

        desired.Clear();
        var items = existing.ToList();
        existing.Clear();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var dirty = false;
        foreach (var item in items)
        {
            work.Step();
            var name = JsonValues.Text(item?["name"]);
            if (name is not null && wanted.TryGetValue(name, out var value) && placed.Add(name))
            {
                if (JsonValues.Contains(item, value))
                {
                    existing.Add(item);
                }
                else
                {
                    existing.Add(value);
                    dirty = true;
                }
            }
            else if (name is not null && (ours.Contains(name) || wanted.ContainsKey(name)))
            {
                dirty = true; // ours but no longer wanted, or a duplicate of ours
            }
            else
            {
                existing.Add(item);
            }
        }

        foreach (var name in order)
        {
            if (!placed.Contains(name))
            {
                existing.Add(wanted[name]);
                dirty = true;
            }
        }

        if (dirty)
        {
            changed(existing);
        }
    }

    /// <summary>Ports keyed by containerPort and protocol (TCP when absent); others' ports stay.</summary>
    private static void MergePorts(JsonArray existing, JsonArray desired, Action<JsonNode> changed, WorkMeter work)
    {
        var byKey = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in existing)
        {
            work.Step();
            if (item is JsonObject port)
            {
                byKey.TryAdd(PortKey(port), port);
            }
        }

        var items = desired.ToList();
        desired.Clear();
        foreach (var item in items)
        {
            if (item is not JsonObject port)
            {
                continue;
            }

            if (byKey.TryGetValue(PortKey(port), out var current))
            {
                MergeLeaves(current, port, changed, work);
            }
            else
            {
                existing.Add((JsonNode)port);
                changed(existing);
            }
        }
    }

    private static string PortKey(JsonObject port) =>
        (JsonValues.TryGetInt32(port["containerPort"], out var n) ? n : -1) + "/" + (JsonValues.Text(port["protocol"]) ?? "TCP");

    /// <summary>Sets every leaf of <paramref name="desired"/> in <paramref name="existing"/>; other leaves stay.</summary>
    public static void MergeLeaves(JsonObject existing, JsonObject desired, Action<JsonNode> changed, WorkMeter work)
    {
        var keys = desired.Select(kv => kv.Key).ToList();
        foreach (var key in keys)
        {
            work.Step();
            var value = desired[key];
            desired.Remove(key);
            if (value is JsonObject obj && existing[key] is JsonObject current)
            {
                MergeLeaves(current, obj, changed, work);
            }
            else if (!JsonNode.DeepEquals(existing[key], value))
            {
                existing[key] = value;
                changed(existing);
            }
        }
    }
}
