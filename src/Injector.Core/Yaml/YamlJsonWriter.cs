using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Injector.Core.Yaml;

/// <summary>
/// Writes JSON as block YAML that kubectl reads back to the same JSON: two-space indent, sequences at their key's
/// column (as kubectl prints them), keys in their JSON order. A string is written plain only when go-yaml v2 (and
/// YAML 1.1/1.2 readers generally) would read it back as that same string; multi-line strings become literal blocks
/// (with an indentation indicator when the first line starts with a space or tab, which a reader would otherwise
/// take for indentation); anything else is double-quoted with escapes (<c>\r</c>, <c>\t</c>, controls, NEL, LS, PS).
/// A hand-written emitter rather than YamlDotNet's: each of those choices depends on go-yaml's reading, not on
/// what YAML allows in general.
/// </summary>
internal static partial class YamlJsonWriter
{
    /// <summary>Implicit keys longer than this are written with "? " (YAML limits implicit keys to 1024 characters).</summary>
    private const int MaxImplicitKeyLength = 1000;

    public static void WriteDocument(StringBuilder output, JsonNode? root)
    {
        switch (root)
        {
            case JsonObject obj when obj.Count > 0:
                WriteMapping(output, obj, indent: 0, continuesLine: false);
                break;
            case JsonArray array when array.Count > 0:
                WriteSequence(output, array, indent: 0, continuesLine: false);
                break;
            default:
                output.Append(Inline(root, allowBlock: false).Text).Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder output, JsonObject obj, int indent, bool continuesLine)
    {
        foreach (var (key, value) in obj)
        {
            if (!continuesLine)
            {
                output.Append(' ', indent);
            }

            continuesLine = false;
            var keyText = Scalar(key, allowBlock: false).Text;
            if (keyText.Length > MaxImplicitKeyLength)
            {
                output.Append("? ").Append(keyText).Append('\n').Append(' ', indent).Append(':');
                WriteValue(output, value, indent, compactSequence: false);
            }
            else
            {
                output.Append(keyText).Append(':');
                WriteValue(output, value, indent, compactSequence: true);
            }
        }
    }

    /// <summary>The value of a mapping entry whose key is at <paramref name="indent"/>; the line holds "key:".</summary>
    private static void WriteValue(StringBuilder output, JsonNode? value, int indent, bool compactSequence)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                output.Append('\n');
                WriteMapping(output, obj, indent + 2, continuesLine: false);
                break;
            case JsonArray array when array.Count > 0:
                output.Append('\n');
                WriteSequence(output, array, compactSequence ? indent : indent + 2, continuesLine: false);
                break;
            default:
                output.Append(' ');
                WriteScalarLine(output, value, contentIndent: indent + 2);
                break;
        }
    }

    private static void WriteSequence(StringBuilder output, JsonArray array, int indent, bool continuesLine)
    {
        foreach (var item in array)
        {
            if (!continuesLine)
            {
                output.Append(' ', indent);
            }

            continuesLine = false;
            output.Append("- ");
            switch (item)
            {
                case JsonObject obj when obj.Count > 0:
                    WriteMapping(output, obj, indent + 2, continuesLine: true);
                    break;
                case JsonArray inner when inner.Count > 0:
                    WriteSequence(output, inner, indent + 2, continuesLine: true);
                    break;
                default:
                    WriteScalarLine(output, item, contentIndent: indent + 2);
                    break;
            }
        }
    }

    /// <summary>A scalar (or empty collection) that ends the current line; block scalars continue below it.</summary>
    private static void WriteScalarLine(StringBuilder output, JsonNode? value, int contentIndent)
    {
        var (text, block) = Inline(value, allowBlock: true);
        if (!block)
        {
            output.Append(text).Append('\n');
            return;
        }

        // A literal block: header, then each line at contentIndent; the reader's indentation is the owner's + 2.
        var trailing = text.Length - text.TrimEnd('\n').Length;
        var body = text[..^trailing];
        output.Append('|');
        if (body[0] is ' ' or '\t')
        {
            output.Append('2');
        }

        output.Append(trailing switch { 0 => "-", 1 => string.Empty, _ => "+" }).Append('\n');
        foreach (var line in body.Split('\n'))
        {
            if (line.Length > 0)
            {
                output.Append(' ', contentIndent).Append(line);
            }

            output.Append('\n');
        }

        for (int i = 1; i < trailing; i++)
        {
            output.Append('\n');
        }
    }

    private static (string Text, bool Block) Inline(JsonNode? value, bool allowBlock) => value switch
    {
        null => ("null", false),
        JsonObject => ("{}", false),
        JsonArray => ("[]", false),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(StringOf(v), allowBlock),
            JsonValueKind.True => ("true", false),
            JsonValueKind.False => ("false", false),
            _ => (Number(v.ToJsonString()), false),
        },
        _ => throw new YamlJsonException($"cannot write {value.GetType().Name} as YAML"),
    };

    /// <summary>
    /// A JSON number in the form go-yaml reads back to the same number and writes the same way again: integers
    /// in int64/uint64 range as they are, anything else as Go's float64 text (so 1.0 is 1, -0 is 0; the value
    /// kubectl reads is the same either way).
    /// </summary>
    private static string Number(string json)
    {
        if (IntegerLiteral().IsMatch(json) && (long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || ulong.TryParse(json, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return json == "-0" ? "0" : json;
        }

        var value = double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture);
        return value == 0 ? "0" : GoNumberFormat.JsonFloat(value);
    }

    private static string StringOf(JsonValue value) =>
        value.TryGetValue<string>(out var s) ? s : JsonDocument.Parse(value.ToJsonString()).RootElement.GetString()!;

    /// <summary>The text of a string scalar, and whether it is a literal block (its text is then the raw string).</summary>
    private static (string Text, bool Block) Scalar(string s, bool allowBlock)
    {
        if (IsPlainSafe(s))
        {
            return (s, false);
        }

        if (allowBlock && IsLiteralSafe(s))
        {
            return (s, true);
        }

        return (DoubleQuoted(s), false);
    }

    private static bool IsPlainSafe(string s)
    {
        if (s.Length == 0 || s.Length > MaxImplicitKeyLength || s[0] is ' ' or '\t' || s[^1] is ' ' or '\t' or ':')
        {
            return false;
        }

        // Indicators that start something else; '-', '?' and ':' only when a space follows (or they stand alone).
        if (s[0] is ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`'
            || (s[0] is '-' or '?' or ':' && (s.Length == 1 || s[1] == ' ')))
        {
            return false;
        }

        // kubectl splits documents at any line starting with "---"; "..." ends a document.
        if (s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c < ' ' || c is '\u007F' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || (c >= '\u0080' && c <= '\u009F'))
            {
                return false;
            }
        }

        if (!IsPairedSurrogateText(s))
        {
            return false;
        }

        // " *" too: YamlDotNet (our reader) takes a word starting with '*' for an alias and misreads "a *b: 1".
        if (s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.Contains(" *", StringComparison.Ordinal))
        {
            return false;
        }

        // Read back by go-yaml v2 it must be this very string; and nothing another YAML 1.1/1.2 reader would type.
        var read = YamlScalarResolver.Resolve(string.Empty, s, plain: true, out _);
        return read.Kind == YamlScalarKind.String && read.String == s && !OtherReadersType().IsMatch(s);
    }

    private static bool IsPairedSurrogateText(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLiteralSafe(string s)
    {
        if (!s.Contains('\n', StringComparison.Ordinal) || s[0] == '\n' || s.TrimEnd('\n').Length == 0 || !IsPairedSurrogateText(s))
        {
            return false;
        }

        for (int i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if ((c < ' ' && c is not '\n' and not '\t') || c is '\u007F' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || (c >= '\u0080' && c <= '\u009F'))
            {
                return false;
            }

            // Trailing blanks on a line are kept by YAML but lost by editors and hard to see: quote instead.
            if (c == '\n' && i > 0 && s[i - 1] is ' ' or '\t')
            {
                return false;
            }
        }

        return s[^1] is not ' ' and not '\t';
    }

    private static string DoubleQuoted(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\0': text.Append("\\0"); break;
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\v': text.Append("\\v"); break;
                case '\f': text.Append("\\f"); break;
                case '\u001B': text.Append("\\e"); break;
                case '\u0085': text.Append("\\N"); break;
                case '\u00A0': text.Append("\\_"); break;
                case '\u2028': text.Append("\\L"); break;
                case '\u2029': text.Append("\\P"); break;
                case '\uFEFF': text.Append("\\uFEFF"); break;
                case < ' ' or '\u007F' or (>= '\u0080' and <= '\u009F'):
                    text.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        text.Append(c).Append(s[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new YamlJsonException("a string holds a lone UTF-16 surrogate, which YAML cannot carry");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex(@"^-?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerLiteral();

    /// <summary>
    /// Plain text go-yaml v2 reads as a string but other readers type: YAML 1.1 timestamps and sexagesimal numbers,
    /// the value key "=", the merge key "&lt;&lt;", booleans and nulls in any case.
    /// </summary>
    [GeneratedRegex(@"^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|=|<<|(?i:y|n|yes|no|true|false|on|off|null|~))$", RegexOptions.CultureInvariant)]
    private static partial Regex OtherReadersType();
}
