using System.Text.Json.Nodes;

namespace TestKit.Kube.Storage;

/// <summary>A watch event as it goes on the wire: <c>{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}</c>.</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    public string ToLine() => new JsonObject { ["type"] = Type, ["object"] = Object.DeepClone() }.ToWire();
}
