using System.Text.Json;
using Sidecars.Kube;
using Sidecars.Runtime.Logging;

namespace Shawarma.Watching;

/// <summary>
/// The local copy of one watched collection (a minimal informer over <see cref="ListWatch"/>): objects by name,
/// published as a whole after every list and every change. While the API fails, the last published snapshot stays
/// in force.
/// </summary>
internal sealed class SnapshotHandler<T>(string what, Func<JsonElement, T> parse, Action<IReadOnlyCollection<T>> publish, SidecarLog log) : IListWatchHandler
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);

    public ValueTask<ListWatchStep> OnListAsync(IReadOnlyList<JsonElement> items, ListReason reason, CancellationToken ct)
    {
        _items.Clear();
        foreach (var item in items)
        {
            _items[Name(item)] = parse(item);
        }

        if (log.IsEnabled(LogLevel.Debug))
        {
            log.Debug($"{what}: {reason} list has {_items.Count}");
        }
        publish([.. _items.Values]);
        return ValueTask.FromResult(ListWatchStep.Continue);
    }

    public ValueTask<ListWatchStep> OnEventAsync(string type, JsonElement item, CancellationToken ct)
    {
        var name = Name(item);
        if (type == KubeWatchEvent.Deleted)
        {
            _items.Remove(name);
        }
        else
        {
            _items[name] = parse(item);
        }

        if (log.IsEnabled(LogLevel.Debug))
        {
            log.Debug($"{what}: {type} {name}");
        }
        publish([.. _items.Values]);
        return ValueTask.FromResult(ListWatchStep.Continue);
    }

    public void OnNotice(ListWatchNotice notice)
    {
        switch (notice.Kind)
        {
            case ListWatchNoticeKind.Retrying:
                log.Warn($"{what}: {notice.Message}; keeping the last known state");
                break;
            case ListWatchNoticeKind.Relisting:
                log.Info($"{what}: {notice.Message}");
                break;
            default:
                log.Debug($"{what}: {notice.Message}");
                break;
        }
    }

    private static string Name(JsonElement obj) =>
        obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : "";
}
