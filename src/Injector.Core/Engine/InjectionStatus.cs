using System.Text.Json;
using System.Text.Json.Nodes;

namespace Injector.Core.Engine;

/// <summary>
/// The <c>sidecars.dev/status</c> annotation: the config revision and everything the injector added. A later pass
/// strips what it lists and injects again (Istio's approach), so re-invocation and copied manifests converge.
/// </summary>
public sealed class InjectionStatus
{
    public string Revision { get; set; } = string.Empty;

    public List<string> Sidecars { get; } = [];

    public string Mode { get; set; } = string.Empty;

    public List<string> Containers { get; } = [];

    public List<string> InitContainers { get; } = [];

    public List<string> Volumes { get; } = [];

    public SortedDictionary<string, ContainerChanges> Targets { get; } = new(StringComparer.Ordinal);

    public ContainerChanges For(string container)
    {
        if (!Targets.TryGetValue(container, out var changes))
        {
            changes = new ContainerChanges();
            Targets[container] = changes;
        }

        return changes;
    }

    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Patching.JsonPatchSerializer.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("revision", Revision);
            WriteStrings(w, "sidecars", Sidecars);
            w.WriteString("mode", Mode);
            WriteStrings(w, "containers", Containers);
            WriteStrings(w, "initContainers", InitContainers);
            WriteStrings(w, "volumes", Volumes);
            if (Targets.Values.Any(t => !t.IsEmpty))
            {
                w.WriteStartObject("targets");
                foreach (var (name, changes) in Targets)
                {
                    if (changes.IsEmpty)
                    {
                        continue;
                    }

                    w.WriteStartObject(name);
                    if (changes.Set.Count > 0)
                    {
                        w.WriteStartObject("set");
                        foreach (var (field, original) in changes.Set)
                        {
                            w.WritePropertyName(field);
                            if (original is null)
                            {
                                w.WriteNullValue();
                            }
                            else
                            {
                                original.WriteTo(w);
                            }
                        }

                        w.WriteEndObject();
                    }

                    if (changes.Env.Count > 0)
                    {
                        WriteStrings(w, "env", changes.Env);
                    }

                    if (changes.VolumeMounts.Count > 0)
                    {
                        WriteStrings(w, "volumeMounts", changes.VolumeMounts);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a status annotation; null with <paramref name="error"/> when it is not ours or is damaged.</summary>
    public static InjectionStatus? TryParse(string json, out string? error)
    {
        error = null;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject obj)
            {
                error = "is not a JSON object";
                return null;
            }

            var status = new InjectionStatus
            {
                Revision = obj["revision"]?.GetValue<string>() ?? string.Empty,
                Mode = obj["mode"]?.GetValue<string>() ?? string.Empty,
            };
            ReadStrings(obj["sidecars"], status.Sidecars);
            ReadStrings(obj["containers"], status.Containers);
            ReadStrings(obj["initContainers"], status.InitContainers);
            ReadStrings(obj["volumes"], status.Volumes);
            if (obj["targets"] is JsonObject targets)
            {
                foreach (var (name, node) in targets)
                {
                    if (node is not JsonObject t)
                    {
                        continue;
                    }

                    var changes = status.For(name);
                    if (t["set"] is JsonObject set)
                    {
                        foreach (var (field, original) in set)
                        {
                            changes.Set[field] = original?.DeepClone();
                        }
                    }

                    ReadStrings(t["env"], changes.Env);
                    ReadStrings(t["volumeMounts"], changes.VolumeMounts);
                }
            }

            return status;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = ex.Message;
            return null;
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void ReadStrings(JsonNode? node, List<string> into)
    {
        if (node is JsonArray array)
        {
            into.AddRange(array.Select(n => n?.GetValue<string>()).OfType<string>());
        }
    }
}
