using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Injector.Core.Yaml;

/// <summary>
/// Converts between YAML (1.2 core schema, as kubectl reads it) and <see cref="JsonNode"/>, so manifests and the
/// config file go through the same JSON-based engine as admission requests. Plain scalars are typed (null, bool,
/// int, float); quoted scalars stay strings; on the way back strings that would read as another type are quoted.
/// </summary>
public static partial class YamlJson
{
    /// <summary>Every document of a multi-document YAML stream, empty documents skipped.</summary>
    public static List<JsonNode?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new List<JsonNode?>(stream.Documents.Count);
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or null })
            {
                continue;
            }

            result.Add(ToJson(document.RootNode));
        }

        return result;
    }

    public static JsonNode? ParseOne(string yaml)
    {
        var all = ParseAll(yaml);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new YamlException($"expected one YAML document, found {all.Count}"),
        };
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToJsonObject(map),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ToJsonValue(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
    };

    private static JsonObject ToJsonObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlException(key.Start, key.End, "mapping keys must be plain strings");
            }

            obj[name] = ToJson(value);
        }

        return obj;
    }

    private static JsonValue? ToJsonValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (tag is null && scalar.Style is not ScalarStyle.Plain))
        {
            return JsonValue.Create(text);
        }

        if (tag is "tag:yaml.org,2002:null" || IsNull(text))
        {
            return null;
        }

        if (IsTrue(text))
        {
            return JsonValue.Create(true);
        }

        if (IsFalse(text))
        {
            return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    /// <summary>Writes the nodes as a YAML stream, documents separated by <c>---</c>.</summary>
    public static string Serialize(IEnumerable<JsonNode?> documents)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false);
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Emit(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                EmitString(emitter, s);
                break;
            case JsonValue value:
                // Numbers and booleans: their JSON text is valid plain YAML of the same type.
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string s)
    {
        ScalarStyle style;
        if (s.Contains('\n', StringComparison.Ordinal) && !s.Contains('\r', StringComparison.Ordinal) && s.Trim(' ', '\n') == s.TrimEnd('\n') && s.Length == s.TrimStart(' ').Length)
        {
            style = ScalarStyle.Literal;
        }
        else if (s.Length == 0 || ReadsAsNonString(s))
        {
            style = ScalarStyle.DoubleQuoted;
        }
        else
        {
            // The emitter falls back to quoting on its own when plain is not allowed (': ', leading '-', ...).
            style = ScalarStyle.Any;
        }

        emitter.Emit(new Scalar(null, null, s, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static bool ReadsAsNonString(string s) =>
        IsNull(s) || IsTrue(s) || IsFalse(s) || IntPattern().IsMatch(s) || FloatPattern().IsMatch(s)
        || LegacyBoolean(s) || s.StartsWith('0') && s.Length > 1 && s.All(char.IsAsciiDigit);

    // YAML 1.1 readers (older tools) treat these as booleans; quoting costs nothing.
    private static bool LegacyBoolean(string s) => s.ToUpperInvariant() is "Y" or "N" or "YES" or "NO" or "ON" or "OFF";

    private static bool IsNull(string s) => s is "" or "~" or "null" or "Null" or "NULL";

    private static bool IsTrue(string s) => s is "true" or "True" or "TRUE";

    private static bool IsFalse(string s) => s is "false" or "False" or "FALSE";

    [GeneratedRegex(@"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
