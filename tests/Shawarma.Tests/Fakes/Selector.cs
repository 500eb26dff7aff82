using System.Text.Json.Nodes;

namespace Shawarma.Tests.Fakes;

/// <summary>The label/field selector subset the fake API understands: <c>k=v</c>, <c>k==v</c>, <c>k</c>, <c>k in (a,b)</c>; field <c>metadata.name=x</c>.</summary>
internal sealed class Selector
{
    private readonly List<Func<JsonObject, bool>> _rules = [];

    public static Selector Parse(string? labelSelector, string? fieldSelector)
    {
        var selector = new Selector();
        foreach (var term in SplitTerms(labelSelector))
        {
            var inAt = term.IndexOf(" in ", StringComparison.Ordinal);
            if (inAt > 0)
            {
                var key = term[..inAt].Trim();
                var values = term[(inAt + 4)..].Trim().TrimStart('(').TrimEnd(')').Split(',', StringSplitOptions.TrimEntries);
                selector._rules.Add(o => Label(o, key) is { } v && values.Contains(v));
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var parts = term.Split('=', 2);
                var key = parts[0].Trim();
                var value = parts[1].TrimStart('=').Trim();
                selector._rules.Add(o => Label(o, key) == value);
            }
            else
            {
                var key = term.Trim();
                selector._rules.Add(o => Label(o, key) is not null);
            }
        }

        foreach (var term in SplitTerms(fieldSelector))
        {
            var parts = term.Split('=', 2);
            if (parts[0] == "metadata.name")
            {
                var value = parts[1].TrimStart('=');
                selector._rules.Add(o => (string?)o["metadata"]?["name"] == value);
            }
            else
            {
                throw new InvalidOperationException("unsupported field selector " + term);
            }
        }

        return selector;
    }

    public bool Matches(JsonObject obj) => _rules.All(r => r(obj));

    private static string? Label(JsonObject obj, string key) => (string?)obj["metadata"]?["labels"]?[key];

    private static IEnumerable<string> SplitTerms(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            yield break;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] == '(' ? 1 : selector[i] == ')' ? -1 : 0;
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }
}
