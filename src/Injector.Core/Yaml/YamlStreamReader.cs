using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Injector.Core.Yaml;

/// <summary>
/// Splits a stream into documents the way kubectl does (apimachinery's YAMLOrJSONDecoder): input whose first
/// non-space character is <c>{</c> is a stream of JSON values; anything else is cut at every line that starts with
/// <c>---</c> (only a comment may follow it on that line; CRLF line ends are read as LF) and each piece is read as
/// one YAML document. A piece that cannot be read is reported and the others are still read.
/// </summary>
internal static class YamlStreamReader
{
    public static IEnumerable<YamlStreamDocument> Read(string text, YamlLimits limits)
    {
        if (text.Length > limits.MaxStreamChars)
        {
            throw new YamlJsonException($"the input is larger than {limits.MaxStreamChars / (1024 * 1024)} MiB");
        }

        text = text.StartsWith('\uFEFF') ? text[1..] : text;
        return text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal) ? ReadJson(text, limits) : ReadYaml(text, limits);
    }

    private static IEnumerable<YamlStreamDocument> ReadYaml(string text, YamlLimits limits)
    {
        var index = 0;
        foreach (var chunk in Chunks(text))
        {
            if (chunk.ContentLine == 0 && chunk.SeparatorError is null)
            {
                continue; // only blank lines and comments
            }

            index++;
            var line = chunk.ContentLine == 0 ? chunk.FirstLine - 1 : chunk.ContentLine;
            if (chunk.SeparatorError is { } separatorError)
            {
                yield return new YamlStreamDocument(index, chunk.FirstLine - 1, null, new YamlJsonException(chunk.FirstLine - 1, 1, separatorError));
                continue;
            }

            YamlStreamDocument document;
            if (chunk.Text.Length > limits.MaxDocumentChars)
            {
                document = new YamlStreamDocument(index, line, null, new YamlJsonException(line, 1, $"the document is larger than {limits.MaxDocumentChars / (1024 * 1024)} MiB"));
            }
            else
            {
                try
                {
                    document = new YamlStreamDocument(index, line, YamlDocumentReader.Read(chunk.Text, limits, chunk.FirstLine - 1), null);
                }
                catch (YamlJsonException ex)
                {
                    document = new YamlStreamDocument(index, line, null, ex);
                }
            }

            if (document.Node is not null || document.Error is not null)
            {
                yield return document;
            }
        }
    }

    /// <summary>apimachinery's YAMLReader: documents end at lines starting with "---".</summary>
    private static IEnumerable<Chunk> Chunks(string text)
    {
        var current = new StringBuilder();
        var firstLine = 1;
        var contentLine = 0;
        string? separatorError = null;
        var lineNumber = 0;
        var position = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var end = newline < 0 ? text.Length : newline;
            var line = text[position..end];
            if (newline >= 0 && line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            position = newline < 0 ? text.Length : newline + 1;
            lineNumber++;
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                yield return new Chunk(current.ToString(), firstLine, contentLine, separatorError);
                var rest = line[3..].Trim();
                separatorError = rest.Length > 0 && rest[0] != '#'
                    ? $"invalid document separator '{line}': only a comment may follow '---' on its line"
                    : null;
                current.Clear();
                firstLine = lineNumber + 1;
                contentLine = 0;
                continue;
            }

            if (contentLine == 0 && line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'))
            {
                contentLine = lineNumber;
            }

            current.Append(line).Append('\n');
        }

        yield return new Chunk(current.ToString(), firstLine, contentLine, separatorError);
    }

    /// <summary>A stream of JSON values (kubectl's json.Decoder): duplicate keys last-wins, numbers kept as written.</summary>
    private static IEnumerable<YamlStreamDocument> ReadJson(string text, YamlLimits limits)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = limits.MaxDepth });
        var consumed = 0;
        var line = 1;
        for (var index = 1; ; index++)
        {
            var document = ReadJsonValue(bytes, limits, index, ref consumed, ref line, ref state);
            if (document is null)
            {
                yield break;
            }

            if (document.Node is not null || document.Error is not null)
            {
                yield return document;
            }

            if (document.Error is not null)
            {
                yield break; // a JSON stream cannot be resumed after a syntax error
            }
        }
    }

    /// <summary>The next value from <paramref name="consumed"/>; <paramref name="line"/> is the line there (kept, not recounted).</summary>
    private static YamlStreamDocument? ReadJsonValue(byte[] bytes, YamlLimits limits, int index, ref int consumed, ref int line, ref JsonReaderState state)
    {
        var startLine = line;
        try
        {
            var reader = new Utf8JsonReader(bytes.AsSpan(consumed), isFinalBlock: true, state);
            if (!reader.Read())
            {
                return null;
            }

            var valueLine = startLine + bytes.AsSpan(consumed, (int)reader.TokenStartIndex).Count((byte)'\n');
            JsonNode? node;
            using (var document = JsonDocument.ParseValue(ref reader))
            {
                long nodes = 0;
                node = ToNode(document.RootElement, limits, ref nodes);
            }

            line = startLine + bytes.AsSpan(consumed, (int)reader.BytesConsumed).Count((byte)'\n');
            consumed += (int)reader.BytesConsumed;
            state = reader.CurrentState;
            return new YamlStreamDocument(index, valueLine, node, null);
        }
        catch (JsonException ex)
        {
            var errorLine = (int)(ex.LineNumber ?? 0) + startLine;
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return new YamlStreamDocument(index, startLine, null, new YamlJsonException(errorLine, (ex.BytePositionInLine ?? 0) + 1, "invalid JSON: " + (cut > 0 ? message[..cut] : message).TrimEnd()));
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not valid UTF-16 once unescaped (a lone surrogate escape).
            return new YamlStreamDocument(index, startLine, null, new YamlJsonException(startLine, 1, "invalid JSON: " + ex.Message));
        }
        catch (YamlJsonException ex)
        {
            return new YamlStreamDocument(index, startLine, null, ex);
        }
    }

    private static JsonNode? ToNode(JsonElement element, YamlLimits limits, ref long nodes)
    {
        if (++nodes > limits.MaxNodes)
        {
            throw new YamlJsonException($"the document has more than {limits.MaxNodes} nodes");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = ToNode(property.Value, limits, ref nodes); // last wins, as in Go
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(ToNode(item, limits, ref nodes));
                }

                return array;
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString());
            case JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(element.GetBoolean());
            case JsonValueKind.Number:
                return JsonValue.Create(element.Clone());
            default:
                return null;
        }
    }

    private readonly record struct Chunk(string Text, int FirstLine, int ContentLine, string? SeparatorError);
}
