using System.Text;
using System.Text.Json;

namespace Injector.Core.Patching;

/// <summary>Writes operations as the JSON array the API server expects (before base64).</summary>
public static class JsonPatchSerializer
{
    // Patches go to the API server, not into HTML: keep quotes in embedded JSON (the status annotation) readable.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(IReadOnlyList<JsonPatchOperation> operations)
    {
        using var scratch = ScratchWriter.Rent(ScratchWriter.Use.Patch);
        Write(operations, scratch.Writer);
        return scratch.Flush().ToArray();
    }

    // Pre-encoded names and kinds: the writer then copies them instead of checking each for characters to escape.
    private static readonly JsonEncodedText OpName = Encode("op");
    private static readonly JsonEncodedText PathName = Encode("path");
    private static readonly JsonEncodedText ValueName = Encode("value");
    private static readonly JsonEncodedText AddOp = Encode("add");
    private static readonly JsonEncodedText RemoveOp = Encode("remove");
    private static readonly JsonEncodedText ReplaceOp = Encode("replace");

    internal static void Write(IReadOnlyList<JsonPatchOperation> operations, Utf8JsonWriter writer)
    {
            writer.WriteStartArray();
            foreach (var op in operations)
            {
                writer.WriteStartObject();
                switch (op.Op)
                {
                    case "add":
                        writer.WriteString(OpName, AddOp);
                        break;
                    case "remove":
                        writer.WriteString(OpName, RemoveOp);
                        break;
                    case "replace":
                        writer.WriteString(OpName, ReplaceOp);
                        break;
                    default:
                        writer.WriteString(OpName, op.Op);
                        break;
                }

                writer.WriteString(PathName, op.Path);
                if (op.Op != "remove")
                {
                    writer.WritePropertyName(ValueName);
                    if (op.Value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        op.Value.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
    }

    /// <summary>A fixed name or value encoded once, as a writer with <see cref="WriterOptions"/> would escape it.</summary>
    internal static JsonEncodedText Encode(string text) => JsonEncodedText.Encode(text, WriterOptions.Encoder);

    public static string ToJson(IReadOnlyList<JsonPatchOperation> operations) => Encoding.UTF8.GetString(ToUtf8(operations));
}
