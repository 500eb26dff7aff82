using System.Text.Json;

namespace Sidecars.Kube;

/// <summary>Receives what a <see cref="ListWatch"/> sees. Called from one task at a time.</summary>
public interface IListWatchHandler
{
    /// <summary>A complete list (every page). The items are valid only during the call: clone what you keep.</summary>
    ValueTask<ListWatchStep> OnListAsync(IReadOnlyList<JsonElement> items, ListReason reason, CancellationToken ct);

    /// <summary>An <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c> event (bookmarks only move the resourceVersion).</summary>
    ValueTask<ListWatchStep> OnEventAsync(string type, JsonElement item, CancellationToken ct);

    /// <summary>For logs; must not throw.</summary>
    void OnNotice(ListWatchNotice notice);
}
