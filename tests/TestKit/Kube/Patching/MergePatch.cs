using System.Text.Json.Nodes;

namespace TestKit.Kube.Patching;

/// <summary>JSON Merge Patch (RFC 7386), <c>application/merge-patch+json</c>: objects merge, null deletes, anything else replaces.</summary>
public static class MergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a copy of <paramref name="target"/> and returns the result.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result.TryGetPropertyValue(key, out var current);
                var merged = Apply(current, value);
                result[key] = merged;
            }
        }

        return result;
    }
}
