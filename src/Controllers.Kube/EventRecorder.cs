using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Controllers.Kube;

/// <summary>
/// Records events.k8s.io/v1 Events about objects, as client-go's new events library does: one Event per
/// (object, type, reason, note); a repeat within <see cref="SeriesWindow"/> updates that Event's <c>series</c>
/// (count, lastObservedTime) instead of creating another. Best effort: a failure is logged, never thrown, so an
/// RBAC or quota problem on Events never stops a reconcile.
/// </summary>
public sealed class EventRecorder
{
    public static readonly TimeSpan SeriesWindow = TimeSpan.FromMinutes(6);

    private const int MaxNoteBytes = 1024;
    private const int MaxCached = 4096;

    private readonly IKubernetes _client;
    private readonly string _controller;
    private readonly string _instance;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    /// <param name="controller">reportingController, e.g. <c>canary.sidecars.dev/canary-controller</c>.</param>
    /// <param name="instance">reportingInstance: the pod name.</param>
    public EventRecorder(IKubernetes client, string controller, string instance, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _controller = controller;
        _instance = instance;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="action">What the controller did (<c>Reconcile</c>, <c>Promote</c>, ...).</param>
    public async Task RecordAsync(V1ObjectReference regarding, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        note = Truncate(note);
        var ns = regarding.NamespaceProperty ?? "default";
        var key = string.Join('\u0000', regarding.Uid, regarding.NamespaceProperty, regarding.Name, type, reason, note);
        var now = _time.GetUtcNow().UtcDateTime;
        try
        {
            if (_series.TryGetValue(key, out var series) && now - series.First < SeriesWindow)
            {
                var count = Interlocked.Increment(ref series.Count);
                var patch = "{\"series\":{\"count\":" + count.ToString(CultureInfo.InvariantCulture) +
                    ",\"lastObservedTime\":\"" + now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) + "\"}}";
                await _client.EventsV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), series.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            var created = await _client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { GenerateName = $"{regarding.Name}.", NamespaceProperty = ns },
                EventTime = now,
                Type = type,
                Reason = reason,
                Action = action,
                Note = note,
                Regarding = regarding,
                ReportingController = _controller,
                ReportingInstance = _instance,
            }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (_series.Count >= MaxCached)
            {
                foreach (var old in _series.Where(kv => now - kv.Value.First >= SeriesWindow).Select(kv => kv.Key).ToList())
                {
                    _series.TryRemove(old, out _);
                }

                if (_series.Count >= MaxCached)
                {
                    _series.Clear();
                }
            }

            _series[key] = new Series(created.Metadata.Name, now);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            _series.TryRemove(key, out _);
            Log.EventFailed(_logger, reason, $"{regarding.Kind} {ns}/{regarding.Name}", ex.Message);
        }
    }

    private static string Truncate(string note)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(note) <= MaxNoteBytes)
        {
            return note;
        }

        var s = note;
        while (System.Text.Encoding.UTF8.GetByteCount(s) > MaxNoteBytes - 3)
        {
            s = s[..(s.Length * 9 / 10)];
        }

        return s + "...";
    }

    private sealed class Series(string name, DateTime first)
    {
        public string Name { get; } = name;

        public DateTime First { get; } = first;

#pragma warning disable CA1051 // a field, for Interlocked
        public int Count = 1;
#pragma warning restore CA1051
    }
}
