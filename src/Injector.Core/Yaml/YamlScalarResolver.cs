using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Injector.Core.Yaml;

/// <summary>
/// go-yaml v2's <c>resolve</c> (sigs.k8s.io/yaml/goyaml.v2/resolve.go, the reader under kubectl 1.32): YAML 1.1
/// booleans (<c>yes</c>, <c>on</c>, <c>y</c>, ...), <c>~</c>/<c>null</c>, integers through Go's <c>ParseInt(s, 0,
/// 64)</c> after dropping underscores (so <c>0755</c> is octal 493, <c>0o17</c>, <c>0x1F</c>, <c>0b1010</c>),
/// floats matching <c>[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?</c>, <c>.inf</c>/<c>.nan</c>; everything
/// else (timestamps, sexagesimal <c>1:20</c>, out-of-range <c>1e999</c>) is a string. Explicit tags are checked as
/// go-yaml checks them (<c>!!int abc</c> is an error, <c>!!float 1</c> is 1.0, unknown tags keep the text).
/// </summary>
internal static partial class YamlScalarResolver
{
    public const string TagPrefix = "tag:yaml.org,2002:";
    public const string StrTag = TagPrefix + "str";
    public const string BinaryTag = TagPrefix + "binary";
    public const string MergeTag = TagPrefix + "merge";
    private const string BoolTag = TagPrefix + "bool";
    private const string IntTag = TagPrefix + "int";
    private const string FloatTag = TagPrefix + "float";
    private const string NullTag = TagPrefix + "null";
    private const string TimestampTag = TagPrefix + "timestamp";

    private static readonly Dictionary<string, (string Tag, YamlScalar Value)> Table = BuildTable();

    /// <summary>
    /// Resolves a scalar. <paramref name="tag"/> is the long tag or empty; <paramref name="plain"/> is false for
    /// quoted and block scalars, which without a tag are always strings.
    /// </summary>
    public static YamlScalar Resolve(string tag, string value, bool plain, out string? error)
    {
        error = null;
        if (tag.Length == 0 && !plain)
        {
            return YamlScalar.Of(value);
        }

        if (tag == BinaryTag)
        {
            return DecodeBinary(value, out error);
        }

        if (!IsResolvable(tag))
        {
            // Custom tags (!foo), the non-specific "!" and collection tags on scalars keep the text.
            return YamlScalar.Of(value);
        }

        var (resolvedTag, resolved) = ResolveImplicit(tag, value);
        if (tag.Length == 0 || tag == resolvedTag || tag == StrTag)
        {
            return resolved;
        }

        if (tag == FloatTag && resolvedTag == IntTag)
        {
            return YamlScalar.Of(resolved.Kind == YamlScalarKind.UInt ? (double)resolved.UInt : resolved.Int);
        }

        error = $"cannot decode {ShortTag(resolvedTag)} `{value}` as a {ShortTag(tag)}";
        return YamlScalar.Of(value);
    }

    private static bool IsResolvable(string tag) =>
        tag.Length == 0 || tag is StrTag or BoolTag or IntTag or FloatTag or NullTag or TimestampTag;

    private static string ShortTag(string tag) => tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + tag[TagPrefix.Length..] : tag;

    private static (string Tag, YamlScalar Value) ResolveImplicit(string tag, string value)
    {
        if (tag == StrTag)
        {
            return (StrTag, YamlScalar.Of(value));
        }

        var hint = value.Length == 0 ? 'N' : Hint(value[0]);
        if (hint == '\0')
        {
            return (StrTag, YamlScalar.Of(value));
        }

        if (Table.TryGetValue(value, out var item))
        {
            return item;
        }

        switch (hint)
        {
            case '.':
                if (GoDotFloat().IsMatch(value) && TryParseFloat(value.Replace("_", string.Empty, StringComparison.Ordinal), out var dotFloat))
                {
                    return (FloatTag, YamlScalar.Of(dotFloat));
                }

                break;
            case 'D' or 'S':
                if (tag == TimestampTag && IsTimestamp(value))
                {
                    // go-yaml decodes a timestamp into interface{} as its text.
                    return (TimestampTag, YamlScalar.Of(value));
                }

                var plain = value.Replace("_", string.Empty, StringComparison.Ordinal);
                if (TryParseGoInt(plain, 0, out var l))
                {
                    return (IntTag, YamlScalar.Of(l));
                }

                if (TryParseGoUInt(plain, 0, out var u))
                {
                    return (IntTag, YamlScalar.Of(u));
                }

                if (YamlStyleFloat().IsMatch(plain) && TryParseFloat(plain, out var d))
                {
                    return (FloatTag, YamlScalar.Of(d));
                }

                if (plain.StartsWith("0b", StringComparison.Ordinal))
                {
                    if (TryParseGoInt(plain[2..], 2, out l))
                    {
                        return (IntTag, YamlScalar.Of(l));
                    }

                    if (TryParseGoUInt(plain[2..], 2, out u))
                    {
                        return (IntTag, YamlScalar.Of(u));
                    }
                }
                else if (plain.StartsWith("-0b", StringComparison.Ordinal) && TryParseGoInt("-" + plain[3..], 2, out l))
                {
                    return (IntTag, YamlScalar.Of(l));
                }

                break;
        }

        return (StrTag, YamlScalar.Of(value));
    }

    private static char Hint(char first) => first switch
    {
        '+' or '-' => 'S',
        >= '0' and <= '9' => 'D',
        'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O' or '~' => 'M',
        '.' => '.',
        _ => '\0',
    };

    /// <summary>Go's strconv.ParseInt(s, base, 64) for base 0 (prefixes 0x, 0o, 0b, leading 0 = octal) or 2.</summary>
    private static bool TryParseGoInt(string s, int numberBase, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var negative = s[0] == '-';
        var digits = s[0] is '-' or '+' ? s[1..] : s;
        if (!TryParseGoUInt(digits, numberBase, out var magnitude))
        {
            return false;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }

    /// <summary>Go's strconv.ParseUint(s, base, 64): no sign; base 0 reads the prefix.</summary>
    private static bool TryParseGoUInt(string s, int numberBase, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        if (numberBase == 0)
        {
            numberBase = 10;
            if (s[0] == '0')
            {
                if (s.Length >= 3 && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
                {
                    numberBase = char.ToLowerInvariant(s[1]) switch { 'b' => 2, 'o' => 8, _ => 16 };
                    s = s[2..];
                }
                else
                {
                    numberBase = 8;
                    s = s[1..];
                }
            }
        }

        foreach (var c in s)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= numberBase)
            {
                return false;
            }

            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)numberBase)
            {
                return false;
            }

            value = (value * (ulong)numberBase) + (ulong)digit;
        }

        return true;
    }

    /// <summary>strconv.ParseFloat on text already matched as decimal: out of range is an error, not infinity.</summary>
    private static bool TryParseFloat(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static YamlScalar DecodeBinary(string value, out string? error)
    {
        error = null;
        // Go's base64.StdEncoding skips line breaks and nothing else.
        var text = value.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        var bytes = new byte[(text.Length / 4 * 3) + 3];
        if (text.Any(char.IsWhiteSpace) || !Convert.TryFromBase64String(text, bytes, out var written))
        {
            error = "!!binary value contains invalid base64 data";
            return YamlScalar.Of(value);
        }

        return YamlScalar.Of(Encoding.UTF8.GetString(bytes, 0, written));
    }

    private static bool IsTimestamp(string value)
    {
        var match = Timestamp().Match(value);
        if (!match.Success)
        {
            return false;
        }

        int Part(string name, int fallback = 0) =>
            match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : fallback;

        var (year, month, day) = (Part("y"), Part("m"), Part("d"));
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(1, year), month)
            && Part("h") < 24 && Part("min") < 60 && Part("s") < 60;
    }

    private static Dictionary<string, (string, YamlScalar)> BuildTable()
    {
        var table = new Dictionary<string, (string, YamlScalar)>(StringComparer.Ordinal);
        void Add(string tag, YamlScalar value, params string[] spellings)
        {
            foreach (var spelling in spellings)
            {
                table[spelling] = (tag, value);
            }
        }

        Add(BoolTag, YamlScalar.Of(true), "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
        Add(BoolTag, YamlScalar.Of(false), "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
        Add(NullTag, YamlScalar.Null, string.Empty, "~", "null", "Null", "NULL");
        Add(FloatTag, YamlScalar.Of(double.NaN), ".nan", ".NaN", ".NAN");
        Add(FloatTag, YamlScalar.Of(double.PositiveInfinity), ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
        Add(FloatTag, YamlScalar.Of(double.NegativeInfinity), "-.inf", "-.Inf", "-.INF");
        Add(MergeTag, YamlScalar.Of("<<"), "<<");
        return table;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();

    /// <summary>What Go's ParseFloat accepts starting with a dot: digits with underscores only between digits.</summary>
    [GeneratedRegex(@"^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDotFloat();

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<m>[0-9]{1,2})-(?<d>[0-9]{1,2})(([Tt](?<h>[0-9]{1,2}):(?<min>[0-9]{1,2}):(?<s>[0-9]{1,2})(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2}))|( (?<h>[0-9]{1,2}):(?<min>[0-9]{1,2}):(?<s>[0-9]{1,2})(\.[0-9]+)?))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();
}
