using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace TestKit.Kube.Patching;

/// <summary>The PATCH content types kube-apiserver accepts.</summary>
public enum PatchType
{
    /// <summary><c>application/json-patch+json</c> (RFC 6902).</summary>
    Json,

    /// <summary><c>application/merge-patch+json</c> (RFC 7386).</summary>
    Merge,

    /// <summary><c>application/strategic-merge-patch+json</c> (built-in types only).</summary>
    StrategicMerge,

    /// <summary><c>application/apply-patch+yaml</c> (server-side apply; simplified here).</summary>
    Apply,
}

/// <summary>Parses patch content types and applies a patch of any type, mapping failures to the server's Status codes.</summary>
public static class PatchTypes
{
    public const string JsonPatchContentType = "application/json-patch+json";
    public const string MergePatchContentType = "application/merge-patch+json";
    public const string StrategicMergePatchContentType = "application/strategic-merge-patch+json";
    public const string ApplyPatchContentType = "application/apply-patch+yaml";

    public static IReadOnlyList<string> All { get; } = [JsonPatchContentType, MergePatchContentType, ApplyPatchContentType, StrategicMergePatchContentType];

    public static IReadOnlyList<string> ForCustomResources { get; } = [JsonPatchContentType, MergePatchContentType, ApplyPatchContentType];

    public static PatchType? Parse(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            JsonPatchContentType => PatchType.Json,
            MergePatchContentType => PatchType.Merge,
            StrategicMergePatchContentType => PatchType.StrategicMerge,
            ApplyPatchContentType => PatchType.Apply,
            _ => null,
        };
    }

    /// <summary>Applies a patch of <paramref name="type"/> to <paramref name="document"/>.</summary>
    /// <exception cref="KubeApiException">400 for an undecodable patch, 422 for one that does not apply, 413 for too many operations.</exception>
    public static JsonObject Apply(PatchType type, JsonObject document, string patch, string kind)
    {
        try
        {
            switch (type)
            {
                case PatchType.Json:
                {
                    JsonArray operations;
                    try
                    {
                        operations = JsonNode.Parse(patch) as JsonArray ?? throw new PatchFormatException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
                    }
                    catch (JsonException e)
                    {
                        throw new PatchFormatException(e.Message);
                    }

                    if (operations.Count > JsonPatch.MaxOperations)
                    {
                        throw new KubeApiException(413, KubeStatus.Failure(413, "RequestEntityTooLarge",
                            $"Request entity too large: The allowed maximum operations in a JSON patch is {JsonPatch.MaxOperations}, got {operations.Count}"));
                    }

                    return JsonPatch.Apply(document, operations) as JsonObject
                        ?? throw new PatchApplyException("the patched document is not an object");
                }

                case PatchType.Merge:
                {
                    var parsed = ParseJson(patch);
                    if (parsed is not JsonObject)
                    {
                        throw new PatchFormatException("Invalid JSON Patch");
                    }

                    return (JsonObject)MergePatch.Apply(document, parsed)!;
                }

                case PatchType.StrategicMerge:
                    return StrategicMergePatch.Apply(document, ParseJson(patch) as JsonObject ?? throw new PatchFormatException("Invalid JSON Patch"), kind);
                case PatchType.Apply:
                {
                    // Simplified server-side apply: the applied configuration merges like a strategic merge patch
                    // (lists by merge key); field ownership and conflicts are not tracked.
                    var applied = ParseApplyBody(patch);
                    applied.Remove("status");
                    return StrategicMergePatch.Apply(document, applied, kind);
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(type));
            }
        }
        catch (PatchFormatException e)
        {
            throw KubeApiException.BadRequest(e.Message);
        }
        catch (PatchApplyException e) when (type == PatchType.StrategicMerge || type == PatchType.Apply)
        {
            throw KubeApiException.Internal(e.Message);
        }
        catch (PatchApplyException e)
        {
            throw new KubeApiException(422, KubeStatus.Failure(422, "Invalid", e.Message));
        }
    }

    /// <summary>Parses an apply body: JSON, or YAML (block style, as kubectl sends it).</summary>
    public static JsonObject ParseApplyBody(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                return json;
            }
        }
        catch (JsonException)
        {
            // not JSON: YAML
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(body));
            if (stream.Documents.Count == 1 && ToJson(stream.Documents[0].RootNode) is JsonObject obj)
            {
                return obj;
            }
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw KubeApiException.BadRequest($"error decoding YAML: {e.Message}");
        }

        throw KubeApiException.BadRequest("error decoding YAML: the apply configuration is not a single object");
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new PatchFormatException(e.Message);
        }
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
            {
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    obj[((YamlScalarNode)key).Value!] = ToJson(value);
                }

                return obj;
            }

            case YamlSequenceNode sequence:
                return new JsonArray(sequence.Children.Select(ToJson).ToArray());
            case YamlScalarNode scalar:
            {
                var text = scalar.Value;
                if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
                {
                    return JsonValue.Create(text);
                }

                if (text is null or "~" or "null" or "")
                {
                    return null;
                }

                if (text is "true" or "false")
                {
                    return JsonValue.Create(text == "true");
                }

                if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var integer))
                {
                    return JsonValue.Create(integer);
                }

                if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
                {
                    return JsonValue.Create(number);
                }

                return JsonValue.Create(text);
            }

            default:
                return null;
        }
    }
}
