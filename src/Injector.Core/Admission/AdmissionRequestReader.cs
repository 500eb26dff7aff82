using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Patching;

namespace Injector.Core.Admission;

/// <summary>
/// One pass over an AdmissionReview (with <see cref="FastJsonTokens"/>, or <see cref="Utf8JsonReader"/> where that
/// stops): validates all of it as JSON (every token is checked, skipped or not), takes the envelope fields, and builds the pod as a sparse tree in which the cost
/// follows what the engine reads, not the size of the request:
/// <list type="bullet">
/// <item>nodes only for what the engine reads before it edits: <c>metadata.annotations</c>, <c>labels</c>, the
/// pod's name, namespace and owner, <c>spec.os</c>, <c>spec.automountServiceAccountToken</c>;</item>
/// <item>each item of <c>containers</c>, <c>initContainers</c>, <c>ephemeralContainers</c> and <c>volumes</c> as an
/// unread <see cref="RawJson"/> that knows its name, ports and shape; the engine opens (parses) only the ones it
/// edits or has to compare (<see cref="Engine.PodEditor"/>);</item>
/// <item>everything else (managedFields, status, oldObject, ...) as unread bytes, written back verbatim if ever
/// needed.</item>
/// </list>
/// A duplicate key is reported for the objects the previous whole-tree reading rejected it in: the envelope, and
/// the pod's objects down to a list item's own keys (and a container's ports, which the port check reads).
/// </summary>
internal sealed class AdmissionRequestReader
{
    public const int MaxDepth = 128;

    /// <summary>Pod-relative depth of the deepest objects whose keys are checked for duplicates (a list item's).</summary>
    private const int CheckedDepth = 3;

    private readonly ReadOnlyMemory<byte> _body;
    private readonly DuplicateKeys _keys;
    private readonly AdmissionRequest _request = new();

    // One list for every item's ports (each item keeps an exact copy), and one for the items of a list.
    private List<int>? _ports;
    private List<JsonNode?>? _items;

    private AdmissionRequestReader(ReadOnlyMemory<byte> body, DuplicateKeys keys)
    {
        _body = body;
        _keys = keys;
    }

    /// <summary>Reads the review with <see cref="FastJsonTokens"/>, or with Utf8JsonReader where that stops.</summary>
    public static AdmissionRequest Read(ReadOnlyMemory<byte> body) => TryReadFast(body) ?? ReadWithUtf8JsonReader(body);

    /// <summary>
    /// The review as <see cref="FastJsonTokens"/> reads it, or null where it stops (anything outside the subset it
    /// reads, including every syntax error): then nothing is known about the body beyond that.
    /// </summary>
    public static AdmissionRequest? TryReadFast(ReadOnlyMemory<byte> body)
    {
        var tokens = new FastJsonTokens(body.Span);
        try
        {
            return Walk(body, ref tokens);
        }
        catch (FastJsonTokens.Stopped)
        {
            return null;
        }
    }

    /// <summary>The review as Utf8JsonReader reads it: its message for a syntax error.</summary>
    public static AdmissionRequest ReadWithUtf8JsonReader(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonTokens(body.Span, new JsonReaderOptions { MaxDepth = MaxDepth });
        return Walk(body, ref reader);
    }

    private static AdmissionRequest Walk<T>(ReadOnlyMemory<byte> body, ref T tokens)
        where T : IJsonTokens, allows ref struct
    {
        var keys = DuplicateKeys.Rent();
        var scan = new AdmissionRequestReader(body, keys);
        try
        {
            scan.ReadDocument(ref tokens);
        }
        catch (JsonException ex)
        {
            // Only Utf8JsonReader throws it: the fast tokenizer stops instead.
            scan._request.SyntaxError = ex.Message;
        }
        finally
        {
            keys.Return();
        }

        return scan._request;
    }

    private void ReadDocument<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            _request.RootIsObject = true;
            ReadReview(ref reader);
        }
        else
        {
            reader.Skip();
        }

        // Anything after the one value (other than whitespace) makes the reader throw.
        reader.Read();
    }

    private void ReadReview<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Envelope(ref reader);
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                _request.ApiVersion = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                _request.Kind = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("request"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    _request.HasRequest = true;
                    ReadRequest(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        _keys.Close();
    }

    private void ReadRequest<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Envelope(ref reader);
            if (reader.ValueTextEquals("uid"u8))
            {
                _request.Uid = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    _request.RequestKindIsObject = true;
                    ReadRequestKind(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                _request.Namespace = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("operation"u8))
            {
                _request.Operation = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    _request.Pod = ReadPod(ref reader);
                }
                else
                {
                    _request.Pod = null;
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        _keys.Close();
    }

    private void ReadRequestKind<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Envelope(ref reader);
            if (reader.ValueTextEquals("group"u8))
            {
                _request.RequestKindGroup = ReadText(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                _request.RequestKindKind = ReadText(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        _keys.Close();
    }

    private JsonObject ReadPod<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        var pod = new JsonObject();
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var fresh = _keys.Add(ref reader);
            var key = KnownNames.Get(ref reader);
            reader.Read();
            JsonNode? value = key switch
            {
                "metadata" when reader.TokenType == JsonTokenType.StartObject => ReadMetadata(ref reader),
                "spec" when reader.TokenType == JsonTokenType.StartObject => ReadSpec(ref reader),
                "metadata" or "spec" => Materialise(ref reader, 1),
                _ => Unread(ref reader, 1),
            };
            AddTo(pod, key, value, fresh);
        }

        _keys.Close();
        return pod;
    }

    private JsonObject ReadMetadata<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        var metadata = new JsonObject();
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var fresh = _keys.Add(ref reader);
            var key = KnownNames.Get(ref reader);
            reader.Read();
            var value = key is "annotations" or "labels" or "name" or "generateName" or "namespace" or "ownerReferences"
                ? Materialise(ref reader, 2)
                : Unread(ref reader, 2);
            AddTo(metadata, key, value, fresh);
        }

        _keys.Close();
        return metadata;
    }

    private JsonObject ReadSpec<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        var spec = new JsonObject();
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var fresh = _keys.Add(ref reader);
            var key = KnownNames.Get(ref reader);
            reader.Read();
            JsonNode? value = key switch
            {
                "containers" or "initContainers" or "ephemeralContainers" or "volumes" when reader.TokenType == JsonTokenType.StartArray =>
                    ReadList(ref reader, containers: key != "volumes"),
                "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "os" or "automountServiceAccountToken" => Materialise(ref reader, 2),
                _ => Unread(ref reader, 2),
            };
            AddTo(spec, key, value, fresh);
        }

        _keys.Close();
        return spec;
    }

    /// <summary>A list of containers or volumes: each object item unread, with what the indexes need.</summary>
    private JsonArray ReadList<T>(ref T reader, bool containers)
        where T : IJsonTokens, allows ref struct
    {
        // The items are gathered first, so the list is made at its size rather than grown (50 containers).
        var items = _items ??= [];
        items.Clear();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            JsonNode? item = reader.TokenType == JsonTokenType.StartObject ? ReadItem(ref reader, containers, index) : Unread(ref reader, CheckedDepth);
            items.Add(item);
            index++;
        }

        var list = new JsonArray(CollectionsMarshal.AsSpan(items));
        items.Clear();
        return list;
    }

    private JsonValue ReadItem<T>(ref T reader, bool container, int index)
        where T : IJsonTokens, allows ref struct
    {
        var start = (int)reader.TokenStartIndex;
        string? name = null;
        var ports = _ports ??= [];
        ports.Clear();
        var bad = Field.Other;
        var badLifecycle = false;
        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Pod(ref reader);
            var field = container ? ContainerField(ref reader) : reader.ValueTextEquals("name"u8) ? Field.Name : Field.Other;
            reader.Read();
            switch (field)
            {
                case Field.Name:
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                    break;
                case Field.Ports when reader.TokenType == JsonTokenType.StartArray:
                    ReadPorts(ref reader, ports);
                    break;
                case Field.Env or Field.VolumeMounts or Field.Ports:
                    if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.Null) && (bad == Field.Other || field < bad))
                    {
                        bad = field; // the engine names env, then volumeMounts, then ports
                    }

                    reader.Skip();
                    break;
                case Field.Lifecycle:
                    badLifecycle |= reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null);
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        _keys.Close();
        var end = (int)reader.BytesConsumed;
        return RawJson.Node(new RawJson(_body[start..end], JsonValueKind.Object)
        {
            Name = name,
            Ports = ports.Count > 0 ? ports.ToArray() : [],
            MalformedField = bad switch
            {
                Field.Env => "env",
                Field.VolumeMounts => "volumeMounts",
                Field.Ports => "ports",
                _ => badLifecycle ? "lifecycle" : null,
            },
            Index = index,
        });
    }

    /// <summary>Every <c>containerPort</c> that reads as a whole number in range, as the engine's port check reads it.</summary>
    private void ReadPorts<T>(ref T reader, List<int> ports)
        where T : IJsonTokens, allows ref struct
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            int? port = null;
            _keys.Open();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                Pod(ref reader);
                var isPort = reader.ValueTextEquals("containerPort"u8);
                reader.Read();
                if (isPort)
                {
                    port = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
                        ? (int)d
                        : null;
                }

                reader.Skip();
            }

            _keys.Close();
            if (port is { } number)
            {
                ports.Add(number);
            }
        }
    }

    private static Field ContainerField<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        // The names differ in length, so one comparison decides (an escaped name takes the slow path).
        if (reader.ValueIsEscaped)
        {
            return reader.ValueTextEquals("name"u8) ? Field.Name
                : reader.ValueTextEquals("ports"u8) ? Field.Ports
                : reader.ValueTextEquals("env"u8) ? Field.Env
                : reader.ValueTextEquals("volumeMounts"u8) ? Field.VolumeMounts
                : reader.ValueTextEquals("lifecycle"u8) ? Field.Lifecycle
                : Field.Other;
        }

        var name = reader.ValueSpan;
        return name.Length switch
        {
            4 when name.SequenceEqual("name"u8) => Field.Name,
            5 when name.SequenceEqual("ports"u8) => Field.Ports,
            3 when name.SequenceEqual("env"u8) => Field.Env,
            12 when name.SequenceEqual("volumeMounts"u8) => Field.VolumeMounts,
            9 when name.SequenceEqual("lifecycle"u8) => Field.Lifecycle,
            _ => Field.Other,
        };
    }

    /// <summary>
    /// The value the reader is on as nodes (a small part the engine reads whole). Whole numbers are made from their
    /// value; any other number keeps its text (parsed as the whole-tree reading did).
    /// </summary>
    private JsonNode? Materialise<T>(ref T reader, int depth)
        where T : IJsonTokens, allows ref struct
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                var checkKeys = depth <= CheckedDepth;
                if (checkKeys)
                {
                    _keys.Open();
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var fresh = !checkKeys || _keys.Add(ref reader);
                    var key = KnownNames.Get(ref reader);
                    reader.Read();
                    var value = Materialise(ref reader, depth + 1);
                    if (fresh)
                    {
                        obj[key] = value;
                    }
                    else
                    {
                        _request.PodHasDuplicate = true;
                    }
                }

                if (checkKeys)
                {
                    _keys.Close();
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(Materialise(ref reader, depth + 1));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString());
            case JsonTokenType.True or JsonTokenType.False:
                return JsonValue.Create(reader.GetBoolean());
            case JsonTokenType.Null:
                return null;
            default:
                var text = reader.ValueSpan;
                if (reader.TryGetInt32(out var i) && !(i == 0 && text[0] == (byte)'-'))
                {
                    return JsonValue.Create(i);
                }

                if (reader.TryGetInt64(out var l) && !(l == 0 && text[0] == (byte)'-'))
                {
                    return JsonValue.Create(l);
                }

                return JsonNode.Parse(text);
        }
    }

    /// <summary>The value the reader is on, left unread (null stays null); duplicate keys are checked down to <see cref="CheckedDepth"/>.</summary>
    private JsonValue? Unread<T>(ref T reader, int depth)
        where T : IJsonTokens, allows ref struct
    {
        var kind = reader.TokenType switch
        {
            JsonTokenType.StartObject => JsonValueKind.Object,
            JsonTokenType.StartArray => JsonValueKind.Array,
            JsonTokenType.String => JsonValueKind.String,
            JsonTokenType.Number => JsonValueKind.Number,
            JsonTokenType.True => JsonValueKind.True,
            JsonTokenType.False => JsonValueKind.False,
            _ => JsonValueKind.Null,
        };
        if (kind == JsonValueKind.Null)
        {
            return null;
        }

        var start = (int)reader.TokenStartIndex;
        Check(ref reader, depth);
        return RawJson.Node(new RawJson(_body[start..(int)reader.BytesConsumed], kind));
    }

    /// <summary>Moves past the value the reader is on, checking keys of the objects down to <see cref="CheckedDepth"/>.</summary>
    private void Check<T>(ref T reader, int depth)
        where T : IJsonTokens, allows ref struct
    {
        if (depth > CheckedDepth || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            reader.Skip();
            return;
        }

        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Check(ref reader, depth + 1);
            }

            return;
        }

        _keys.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Pod(ref reader);
            reader.Read();
            Check(ref reader, depth + 1);
        }

        _keys.Close();
    }

    private void AddTo(JsonObject owner, string key, JsonNode? value, bool fresh)
    {
        if (fresh)
        {
            owner.Add(key, value);
        }
        else
        {
            _request.PodHasDuplicate = true;
        }
    }

    private void Envelope<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        if (!_keys.Add(ref reader))
        {
            _request.EnvelopeHasDuplicate = true;
        }
    }

    private void Pod<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        if (!_keys.Add(ref reader))
        {
            _request.PodHasDuplicate = true;
        }
    }

    private static string? ReadText<T>(ref T reader)
        where T : IJsonTokens, allows ref struct
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return KnownNames.Get(ref reader);
        }

        reader.Skip();
        return null;
    }

    /// <summary>The container fields the indexes read; the lists in the order the engine checks them.</summary>
    private enum Field
    {
        Other,
        Name,
        Env,
        VolumeMounts,
        Ports,
        Lifecycle,
    }
}
