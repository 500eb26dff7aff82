using System.Text.Json;
using System.Text.Json.Nodes;

namespace Injector.Core.Configuration;

/// <summary>
/// A sidecar's resources, checked as kube-apiserver checks container resources: only requests and limits (claims
/// name the pod's own ResourceClaims, which a config cannot know), quantities that parse and are not negative,
/// each request at most its limit. Resources are limited to cpu, memory and ephemeral-storage, and a memory or
/// storage amount under 1M is refused as a missing unit (<c>8</c> is 8 bytes; a file cut after "8" looks so).
/// </summary>
internal static class ResourcesValidator
{
    private const decimal OneMegabyte = 1_000_000;
    private static readonly string[] Keys = ["requests", "limits"];
    private static readonly string[] ResourceNames = ["cpu", "memory", "ephemeral-storage"];

    public static void Validate(JsonObject resources, string path)
    {
        ConfigValues.RejectUnknown(resources, Keys, path);
        var requests = Amounts(resources, "requests", path);
        var limits = Amounts(resources, "limits", path);
        foreach (var (name, request) in requests)
        {
            if (limits.TryGetValue(name, out var limit) && request.Value > limit.Value)
            {
                throw new InjectorConfigException($"config {path}.requests.{name} ({request.Text}) must be less than or equal to the limit ({limit.Text})");
            }
        }
    }

    private static Dictionary<string, (decimal Value, string Text)> Amounts(JsonObject resources, string key, string path)
    {
        var amounts = new Dictionary<string, (decimal, string)>(StringComparer.Ordinal);
        if (ConfigValues.Mapping(resources, key, path) is not { } map)
        {
            return amounts;
        }

        var at = ConfigValues.Name(path, key);
        foreach (var (name, node) in map)
        {
            if (!ResourceNames.Contains(name))
            {
                throw new InjectorConfigException($"config {at} has unknown resource '{name}': use {string.Join(", ", ResourceNames)}");
            }

            // resource.Quantity decodes a JSON string or a JSON number.
            var text = node switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
                null => throw ConfigValues.Invalid(at, name, "is empty: give a quantity such as 100m or 64Mi"),
                _ => throw ConfigValues.Invalid(at, name, "must be a quantity (a string such as 100m or 64Mi)"),
            };
            var value = ResourceQuantity.Parse(text, out var error) ?? throw ConfigValues.Invalid(at, name, $"'{text}' {error}");
            if (value < 0)
            {
                throw ConfigValues.Invalid(at, name, $"must not be negative, got {text}");
            }

            if (name != "cpu" && value > 0 && value < OneMegabyte)
            {
                throw ConfigValues.Invalid(at, name, $"'{text}' is less than 1M bytes: is a unit missing? (write 64Mi, not 64)");
            }

            amounts[name] = (value, text);
        }

        return amounts;
    }
}
