using System.Text.Json.Nodes;

namespace Injector.Core.Configuration;

/// <summary>
/// Puts the keys of config mappings in one fixed order, so two configs that differ only in the order of their keys
/// inject the same bytes and get the same revision and per-sidecar hashes (a reordered ConfigMap must not mark every
/// pod outdated for sidecar-rollout). Known keys come in the built-in config's order, then the rest alphabetically.
/// </summary>
internal static class CanonicalOrder
{
    private static readonly string[] SecurityContextKeys =
        ["runAsNonRoot", "runAsUser", "runAsGroup", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "seccompProfile"];

    private static readonly string[] ResourcesKeys = ["requests", "limits"];

    private static readonly string[] QuantityKeys = ["cpu", "memory"];

    public static JsonObject SecurityContext(JsonObject securityContext) => Reorder(securityContext, SecurityContextKeys, _ => []);

    public static JsonObject Resources(JsonObject resources) => Reorder(resources, ResourcesKeys, _ => QuantityKeys);

    /// <summary>A copy with <paramref name="first"/> keys first (in that order), the others sorted; nested mappings
    /// ordered by <paramref name="nested"/>'s list for their key, then sorted. Arrays keep their order.</summary>
    private static JsonObject Reorder(JsonObject obj, string[] first, Func<string, string[]> nested)
    {
        var ordered = new JsonObject();
        var rank = (string key) => Array.IndexOf(first, key) is var i and >= 0 ? i : first.Length;
        foreach (var (key, value) in obj.OrderBy(kv => rank(kv.Key)).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList())
        {
            ordered[key] = value is JsonObject child ? Reorder(child, nested(key), _ => []) : value?.DeepClone();
        }

        return ordered;
    }
}
