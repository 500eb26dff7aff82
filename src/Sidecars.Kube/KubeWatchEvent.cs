using System.Text.Json;

namespace Sidecars.Kube;

/// <summary>One event of a Kubernetes watch stream: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c> or <c>BOOKMARK</c>.</summary>
/// <param name="Type">The event type as sent by the API server.</param>
/// <param name="Object">The object (a detached clone; safe to keep).</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Mirrors the watch event's JSON field name.")]
public sealed record KubeWatchEvent(string Type, JsonElement Object)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
