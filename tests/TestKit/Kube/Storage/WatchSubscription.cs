using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace TestKit.Kube.Storage;

/// <summary>
/// An open watch on one storage type: the events the store pushes (already filtered and typed as ADDED, MODIFIED or
/// DELETED for this watch's selector, the way the watch cache does), bookmarks, and a close signal.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Action<WatchSubscription> _unregister;

    internal WatchSubscription(ResourceType storageType, string? ns, Func<JsonObject, bool> matches, bool bookmarks, Action<WatchSubscription> unregister)
    {
        StorageType = storageType;
        Namespace = ns;
        Matches = matches;
        AllowBookmarks = bookmarks;
        _unregister = unregister;
    }

    public ResourceType StorageType { get; }

    public string? Namespace { get; }

    public bool AllowBookmarks { get; }

    /// <summary>The resourceVersion of the last event sent (for bookmarks and 410 messages).</summary>
    public long LastResourceVersion { get; internal set; }

    internal Func<JsonObject, bool> Matches { get; }

    internal Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<WatchEvent> Reader => Events.Reader;

    /// <summary>The event this change means for this watch, or null when it does not concern it.</summary>
    internal WatchEvent? EventFor(StoredChange change)
    {
        if (change.Type.GroupResource != StorageType.GroupResource || (Namespace is not null && change.Namespace != Namespace))
        {
            return null;
        }

        var before = change.Before is not null && Matches(change.Before);
        var after = !change.Deleted && Matches(change.After);
        return (before, after) switch
        {
            (false, true) => new WatchEvent(WatchEvent.Added, change.After),
            (true, true) => new WatchEvent(WatchEvent.Modified, change.After),
            (true, false) => new WatchEvent(WatchEvent.Deleted, change.After),
            _ => null,
        };
    }

    /// <summary>Ends the stream (the server's watch timeout, or server shutdown).</summary>
    public void Close() => Events.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        _unregister(this);
    }
}
