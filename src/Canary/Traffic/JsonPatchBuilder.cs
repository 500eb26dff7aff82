using System.Text.Json.Nodes;

namespace Canary.Traffic;

/// <summary>An RFC 6902 JSON Patch built op by op (the API server applies it; <c>test</c> ops make it fail with 422
/// rather than write into an entry that moved since it was read).</summary>
public sealed class JsonPatchBuilder
{
    private readonly JsonArray _ops = [];

    public int Count => _ops.Count;

    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public JsonPatchBuilder Test(string path, JsonNode? value) => Op("test", path, value);

    public JsonPatchBuilder Add(string path, JsonNode? value) => Op("add", path, value);

    public JsonPatchBuilder Replace(string path, JsonNode? value) => Op("replace", path, value);

    public JsonPatchBuilder Remove(string path)
    {
        _ops.Add(new JsonObject { ["op"] = "remove", ["path"] = path });
        return this;
    }

    public string ToJson() => _ops.ToJsonString();

    public JsonArray ToArray() => (JsonArray)_ops.DeepClone();

    private JsonPatchBuilder Op(string op, string path, JsonNode? value)
    {
        _ops.Add(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value?.DeepClone() });
        return this;
    }
}
