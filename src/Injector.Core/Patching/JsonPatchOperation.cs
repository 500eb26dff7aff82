using System.Text.Json.Nodes;

namespace Injector.Core.Patching;

/// <summary>One RFC 6902 operation. Only the three kinds the diff emits: add, remove, replace.</summary>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value)
{
    public static JsonPatchOperation Add(string path, JsonNode? value) => new("add", path, value);

    public static JsonPatchOperation Remove(string path) => new("remove", path, null);

    public static JsonPatchOperation Replace(string path, JsonNode? value) => new("replace", path, value);
}
