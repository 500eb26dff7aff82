using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TestKit.Kube.Selectors;

namespace TestKit.Kube.Strategies;

/// <summary>
/// The validation rules tests trip over most, with the real messages: object names (DNS-1123 subdomain, or label
/// for namespaces and services), label keys and values, and a workload's selector against its template labels.
/// </summary>
public static partial class Validation
{
    /// <summary>metadata.name as a DNS-1123 subdomain (most resources).</summary>
    public static IEnumerable<FieldError> SubdomainName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            yield break; // "name or generateName is required" is checked by the server before this
        }

        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            yield return FieldError.Invalid("metadata.name", name,
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
    }

    /// <summary>metadata.name as a DNS-1123 label (namespaces, services).</summary>
    public static IEnumerable<FieldError> LabelName(string? name)
    {
        if (!string.IsNullOrEmpty(name) && (name.Length > 63 || !Label().IsMatch(name)))
        {
            yield return FieldError.Invalid("metadata.name", name,
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
        }
    }

    /// <summary>Label keys and values of metadata.labels.</summary>
    public static IEnumerable<FieldError> Labels(JsonObject obj)
    {
        if (obj.At("metadata.labels") is not JsonObject labels)
        {
            yield break;
        }

        foreach (var (key, value) in labels)
        {
            if (value is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                yield return FieldError.Invalid($"metadata.labels", value, "label values must be strings");
                continue;
            }

            var selector = $"{key}={v.GetValue<string>()}";
            string? problem = null;
            try
            {
                LabelSelector.Parse(selector);
            }
            catch (FormatException e)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return FieldError.Invalid("metadata.labels", JsonValue.Create(selector), problem);
            }
        }
    }

    /// <summary>A workload's spec.selector: required, and it must select spec.template.metadata.labels.</summary>
    public static IEnumerable<FieldError> WorkloadSelector(JsonObject obj)
    {
        if (obj.At("spec.selector") is not JsonObject selector)
        {
            yield return FieldError.Required("spec.selector");
            yield break;
        }

        var templateLabels = obj.At("spec.template.metadata.labels") is JsonObject l
            ? l.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString())
            : new Dictionary<string, string>();
        if (selector["matchLabels"] is JsonObject matchLabels
            && matchLabels.Any(p => !templateLabels.TryGetValue(p.Key, out var value) || value != p.Value?.ToString()))
        {
            yield return FieldError.Invalid("spec.template.metadata.labels", obj.At("spec.template.metadata.labels")?.DeepClone(), "`selector` does not match template `labels`");
        }

        if (selector["matchLabels"] is not JsonObject { Count: > 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 })
        {
            yield return FieldError.Invalid("spec.selector", selector.DeepClone(), "empty selector is invalid for deployment");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
