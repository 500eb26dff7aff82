using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sidecars.Contract;

/// <summary>
/// The <c>sidecars.dev/status</c> annotation: what the injector added to a pod and under which config. Version 2
/// adds per-sidecar records (image, config revision, hash of what was injected) and the values written into the
/// user's containers; version 1 (no <c>version</c> key) is still read. The annotation is written by whoever creates
/// the pod as far as the API server is concerned, so the reader is strict about size and shape and the engine
/// trusts an entry only when the pod still shows what the injector would have put there.
/// </summary>
public sealed class InjectionStatus
{
    public const int CurrentVersion = 2;

    /// <summary>The API server allows 256 KiB for all of a pod's annotations together; a longer status is not ours.</summary>
    public const int MaxLength = 256 * 1024;

    private const int MaxDepth = 64;

    private const int KeepBufferBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>1 for statuses written before the version key existed.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>The injector config's revision.</summary>
    public string Revision { get; set; } = string.Empty;

    /// <summary><c>native</c> or <c>classic</c>.</summary>
    public string Mode { get; set; } = string.Empty;

    /// <summary>The sidecars injected, in injection order.</summary>
    public List<string> Sidecars { get; } = [];

    /// <summary>Per sidecar: image, config revision and hash of what was injected (version 2).</summary>
    public SortedDictionary<string, SidecarRecord> Injected { get; } = new(StringComparer.Ordinal);

    public List<string> Containers { get; } = [];

    public List<string> InitContainers { get; } = [];

    public List<string> Volumes { get; } = [];

    /// <summary>Per user container: what the injector changed in it.</summary>
    public SortedDictionary<string, TargetRecord> Targets { get; } = new(StringComparer.Ordinal);

    public TargetRecord For(string container)
    {
        if (!Targets.TryGetValue(container, out var record))
        {
            record = new TargetRecord();
            Targets[container] = record;
        }

        return record;
    }

    public string ToJson()
    {
        // The buffer and writer are the thread's, reused: a status is written for every injected pod.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        try
        {
            w.WriteStartObject();
            w.WriteNumber("version", CurrentVersion);
            w.WriteString("revision", Revision);
            WriteStrings(w, "sidecars", Sidecars);
            w.WriteString("mode", Mode);
            if (Injected.Count > 0)
            {
                w.WriteStartObject("injected");
                foreach (var (name, record) in Injected)
                {
                    w.WriteStartObject(name);
                    w.WriteString("image", record.Image);
                    w.WriteString("revision", record.Revision);
                    w.WriteString("hash", record.Hash);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            WriteStrings(w, "containers", Containers);
            WriteStrings(w, "initContainers", InitContainers);
            WriteStrings(w, "volumes", Volumes);
            var anyTarget = false;
            foreach (var (name, record) in Targets)
            {
                if (record.IsEmpty)
                {
                    continue;
                }

                if (!anyTarget)
                {
                    w.WriteStartObject("targets");
                    anyTarget = true;
                }

                w.WriteStartObject(name);
                WriteNodes(w, "set", record.Set);
                WriteNodes(w, "wrote", record.Wrote);
                if (record.Env.Count > 0)
                {
                    WriteStrings(w, "env", record.Env);
                }

                if (record.VolumeMounts.Count > 0)
                {
                    WriteStrings(w, "volumeMounts", record.VolumeMounts);
                }

                w.WriteEndObject();
            }

            if (anyTarget)
            {
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            w.Reset();
            if (buffer.Capacity > KeepBufferBytes)
            {
                // A huge status (hostile targets) is not kept for the thread's life.
                t_buffer = null;
                t_writer = null;
            }
            else
            {
                buffer.ResetWrittenCount();
            }
        }
    }

    /// <summary>Reads a status annotation; null with <paramref name="error"/> when it is not one.</summary>
    public static InjectionStatus? TryParse(string json, out string? error) => TryParse(json, out error, out _);

    /// <summary>
    /// Reads a status annotation in one pass over its bytes (<paramref name="work"/> counts them and the entries
    /// made). Over <see cref="MaxLength"/>, deeper than 64 levels or not a JSON object: null with a reason.
    /// Duplicate keys resolve as Go's encoding/json does (the last one wins); unknown keys and values of the wrong
    /// type are skipped.
    /// </summary>
    public static InjectionStatus? TryParse(string json, out string? error, out long work)
    {
        ArgumentNullException.ThrowIfNull(json);
        work = 0;
        error = null;
        if (json.Length > MaxLength)
        {
            error = $"it is {json.Length} characters long, over the {MaxLength} the API server allows for all annotations together";
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        var status = new InjectionStatus { Version = 1 };
        long entries = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "it is not a JSON object";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString();
                reader.Read();
                switch (key)
                {
                    case "version":
                        status.Version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version) ? version : 0;
                        break;
                    case "revision":
                        status.Revision = ReadString(ref reader);
                        break;
                    case "mode":
                        status.Mode = ReadString(ref reader);
                        break;
                    case "sidecars":
                        entries += ReadStrings(ref reader, status.Sidecars);
                        break;
                    case "containers":
                        entries += ReadStrings(ref reader, status.Containers);
                        break;
                    case "initContainers":
                        entries += ReadStrings(ref reader, status.InitContainers);
                        break;
                    case "volumes":
                        entries += ReadStrings(ref reader, status.Volumes);
                        break;
                    case "injected":
                        entries += ReadInjected(ref reader, status.Injected);
                        break;
                    case "targets":
                        entries += ReadTargets(ref reader, status.Targets);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "it is not a single JSON object";
                return null;
            }

            return status;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // A string that cannot be decoded (an escaped lone surrogate).
            error = ex.Message;
            return null;
        }
        finally
        {
            work = reader.BytesConsumed + entries;
        }
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() ?? string.Empty;
        }

        reader.Skip();
        return string.Empty;
    }

    /// <summary>Replaces <paramref name="into"/> with the strings of an array (the last duplicate key wins).</summary>
    private static int ReadStrings(ref Utf8JsonReader reader, List<string> into)
    {
        into.Clear();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                into.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }

        return into.Count;
    }

    private static int ReadInjected(ref Utf8JsonReader reader, SortedDictionary<string, SidecarRecord> into)
    {
        into.Clear();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var record = new SidecarRecord();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString();
                reader.Read();
                switch (key)
                {
                    case "image":
                        record.Image = ReadString(ref reader);
                        break;
                    case "revision":
                        record.Revision = ReadString(ref reader);
                        break;
                    case "hash":
                        record.Hash = ReadString(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            into[name] = record;
        }

        return into.Count;
    }

    private static int ReadTargets(ref Utf8JsonReader reader, SortedDictionary<string, TargetRecord> into)
    {
        into.Clear();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        var entries = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var record = new TargetRecord();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString();
                reader.Read();
                switch (key)
                {
                    case "set":
                        entries += ReadNodes(ref reader, record.Set);
                        break;
                    case "wrote":
                        entries += ReadNodes(ref reader, record.Wrote);
                        break;
                    case "env":
                        entries += ReadStrings(ref reader, record.Env);
                        break;
                    case "volumeMounts":
                        entries += ReadStrings(ref reader, record.VolumeMounts);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            into[name] = record;
            entries++;
        }

        return entries;
    }

    private static int ReadNodes(ref Utf8JsonReader reader, SortedDictionary<string, JsonNode?> into)
    {
        into.Clear();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            into[key] = ReadNode(ref reader);
        }

        return into.Count;
    }

    /// <summary>Builds the node eagerly (JsonNode.Parse defers duplicate-key errors to the first access).</summary>
    private static JsonNode? ReadNode(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    obj[key] = ReadNode(ref reader);
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadNode(ref reader));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString());
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Number:
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
            default:
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

    private static void WriteNodes(Utf8JsonWriter writer, string name, SortedDictionary<string, JsonNode?> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WritePropertyName(key);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
