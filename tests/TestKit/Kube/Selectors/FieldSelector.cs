using System.Text;
using System.Text.Json.Nodes;

namespace TestKit.Kube.Selectors;

/// <summary>
/// A parsed <c>fieldSelector</c> (k8s.io/apimachinery/pkg/fields): <c>f=v</c>, <c>f==v</c>, <c>f!=v</c> joined by commas,
/// with <c>\,</c> <c>\=</c> <c>\\</c> escapes. Only fields the resource supports may be named (the server answers
/// 400 "field label not supported" otherwise).
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The value a term requires for <paramref name="field"/> with =, or null (lets a watch by name be recognised).</summary>
    public string? RequiredValue(string field) => _terms.FirstOrDefault(t => t.Field == field && t.Equal).Value;

    /// <exception cref="FormatException">Malformed selector, or a field outside <paramref name="supported"/>.</exception>
    public static FieldSelector Parse(string? text, IReadOnlyCollection<string> supported)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var part in SplitUnescaped(text, ','))
        {
            if (part.Length == 0)
            {
                continue;
            }

            string field, value;
            bool equal;
            var notEquals = IndexUnescaped(part, "!=");
            var doubleEquals = IndexUnescaped(part, "==");
            var equals = IndexUnescaped(part, "=");
            if (notEquals >= 0)
            {
                (field, value, equal) = (part[..notEquals], part[(notEquals + 2)..], false);
            }
            else if (doubleEquals >= 0)
            {
                (field, value, equal) = (part[..doubleEquals], part[(doubleEquals + 2)..], true);
            }
            else if (equals >= 0)
            {
                (field, value, equal) = (part[..equals], part[(equals + 1)..], true);
            }
            else
            {
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            }

            field = field.Trim();
            if (!supported.Contains(field))
            {
                throw new FormatException($"field label not supported: {field}");
            }

            terms.Add((field, equal, Unescape(value)));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t =>
    {
        var actual = obj.StringAt(t.Field) ?? "";
        return t.Equal ? actual == t.Value : actual != t.Value;
    });

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == separator)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        yield return current.ToString();
    }

    private static int IndexUnescaped(string text, string op)
    {
        for (var i = 0; i <= text.Length - op.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            result.Append(value[i]);
        }

        return result.ToString();
    }
}
