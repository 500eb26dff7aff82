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

    internal static void Write(IReadOnlyList<JsonPatchOperation> operations, Utf8JsonWriter writer)
    {
            writer.WriteStartArray();
            foreach (var op in operations)
            {
                writer.WriteStartObject();
                writer.WriteString("op", op.Op);
                writer.WriteString("path", op.Path);
                if (op.Op != "remove")
                {
                    writer.WritePropertyName("value");
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

    public static string ToJson(IReadOnlyList<JsonPatchOperation> operations) => Encoding.UTF8.GetString(ToUtf8(operations));
}
