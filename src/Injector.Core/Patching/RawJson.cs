using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Injector.Core.Patching;

/// <summary>
/// A value of the request that the injector did not read (managedFields, status, a container it does not touch):
/// its exact bytes, held in a <see cref="JsonValue"/> so it keeps its place in the pod, written back verbatim and
/// compared by content, but never parsed into nodes. For an item of a container or volume list it also carries
/// what the engine's indexes need without opening it (name, ports, shape). The bytes belong to the request body:
/// a pod holding these is valid only while the body is.
/// </summary>
public sealed class RawJson
{
    private static readonly JsonTypeInfo<RawJson> TypeInfo = JsonMetadataServices.CreateValueInfo<RawJson>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, new Writer());

    internal RawJson(ReadOnlyMemory<byte> utf8, JsonValueKind kind)
    {
        Utf8 = utf8;
        Kind = kind;
    }

    /// <summary>The value's bytes, exactly as in the request.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    public JsonValueKind Kind { get; }

    /// <summary>For a list item: its <c>name</c> when that is a string.</summary>
    internal string? Name { get; init; }

    /// <summary>For a container: the numbers of its <c>ports[].containerPort</c>, in order.</summary>
    internal IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>For a container: the first of env, volumeMounts, ports that is not a list, or lifecycle when it is not an object.</summary>
    internal string? MalformedField { get; init; }

    /// <summary>For a list item: its position in the list as the request has it.</summary>
    internal int Index { get; init; }

    internal static JsonValue Node(RawJson raw) => JsonValue.Create(raw, TypeInfo)!;

    /// <summary>The unread value <paramref name="node"/> holds, or null when it is an ordinary node.</summary>
    public static RawJson? Of(JsonNode? node) => node is JsonValue value && value.TryGetValue<RawJson>(out var raw) ? raw : null;

    /// <summary>The JSON kind of a node without reading it (an unread value knows its kind).</summary>
    internal static JsonValueKind KindOf(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        _ => Of(node)?.Kind ?? node.GetValueKind(),
    };

    private sealed class Writer : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("unread request values are only written");

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}
