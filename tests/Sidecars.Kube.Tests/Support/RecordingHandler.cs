using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Sidecars.Kube.Tests.Support;

/// <summary>Records what a <see cref="ListWatch"/> hands over; the step it answers can be scripted.</summary>
internal sealed class RecordingHandler : IListWatchHandler
{
    public ConcurrentQueue<(ListReason Reason, IReadOnlyList<string> Names, TimeSpan At)> Lists { get; } = new();

    public ConcurrentQueue<(string Type, string Name, TimeSpan At)> Events { get; } = new();

    public ConcurrentQueue<(ListWatchNotice Notice, TimeSpan At)> Notices { get; } = new();

    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>The step answered after each list (default: continue).</summary>
    public Func<ListReason, IReadOnlyList<string>, ListWatchStep> OnList { get; init; } = (_, _) => ListWatchStep.Continue;

    /// <summary>The step answered after each event (default: continue).</summary>
    public Func<string, string, ListWatchStep> OnEvent { get; init; } = (_, _) => ListWatchStep.Continue;

    public IReadOnlyList<ListWatchNotice> NoticesOf(ListWatchNoticeKind kind) => Notices.Where(n => n.Notice.Kind == kind).Select(n => n.Notice).ToList();

    public string Describe() =>
        "lists: " + string.Join("; ", Lists.Select(l => $"{l.Reason} [{string.Join(",", l.Names)}] at {l.At.TotalMilliseconds:0}ms")) + "\n"
        + "events: " + string.Join("; ", Events.Select(e => $"{e.Type} {e.Name}")) + "\n"
        + "notices:\n  " + string.Join("\n  ", Notices.Select(n => $"{n.At.TotalMilliseconds:0}ms {n.Notice.Kind} {n.Notice.Message}"));

    public ValueTask<ListWatchStep> OnListAsync(IReadOnlyList<JsonElement> items, ListReason reason, CancellationToken ct)
    {
        var names = items.Select(Name).ToList();
        Lists.Enqueue((reason, names, Stopwatch.GetElapsedTime(_started)));
        return ValueTask.FromResult(OnList(reason, names));
    }

    public ValueTask<ListWatchStep> OnEventAsync(string type, JsonElement item, CancellationToken ct)
    {
        var name = Name(item);
        Events.Enqueue((type, name, Stopwatch.GetElapsedTime(_started)));
        return ValueTask.FromResult(OnEvent(type, name));
    }

    public void OnNotice(ListWatchNotice notice) => Notices.Enqueue((notice, Stopwatch.GetElapsedTime(_started)));

    private static string Name(JsonElement item) => item.GetProperty("metadata").GetProperty("name").GetString()!;
}
