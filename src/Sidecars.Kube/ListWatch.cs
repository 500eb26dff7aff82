using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sidecars.Kube;

/// <summary>
/// List, then watch from the list's resourceVersion: the informer loop of shawarma (EndpointSlices, Services), proa
/// (its pod) and the injector's RoleBinding loop (injected pods), written once.
/// <list type="bullet">
/// <item>Lists in pages (<c>limit</c>/<c>continue</c>); an expired continue token (410) starts the list over.</item>
/// <item>Watches with bookmarks and resumes from the last resourceVersion seen, bookmarks included, when the
/// server ends the stream.</item>
/// <item>Lists again on 410 Gone, whether it comes as the HTTP status or as an ERROR event in the stream.</item>
/// <item>Notices a silent watch: <c>timeoutSeconds</c> asks the server to end it, and a client-side idle timer a little
/// longer catches a connection that died without a word.</item>
/// <item>Backs off, with jitter, after every failure (an error, a 410, a watch that ends at once) and resets once a
/// watch has stayed open for <see cref="ListWatchOptions.HealthyAfter"/>: an API that answers every watch with 410
/// costs a relist every few seconds, not ten a second.</item>
/// </list>
/// </summary>
public sealed class ListWatch
{
    private readonly KubeApiClient _client;
    private readonly string _path;
    private readonly ListWatchOptions _options;
    private readonly TimeProvider _time;
    private readonly Backoff _backoff;

    /// <param name="client">The API.</param>
    /// <param name="collectionPath">The collection with its selectors, e.g.
    /// <c>/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dp</c> (query values escaped).</param>
    /// <param name="options">Timing; null for the defaults.</param>
    /// <param name="time">The clock of delays and timers.</param>
    public ListWatch(KubeApiClient client, string collectionPath, ListWatchOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(collectionPath);
        _client = client;
        _path = collectionPath;
        _options = options ?? new ListWatchOptions();
        _time = time ?? TimeProvider.System;
        _backoff = new Backoff(_options.MinBackoff, _options.MaxBackoff);
    }

    /// <summary>The collection path this instance lists and watches.</summary>
    public string Path => _path;

    /// <summary>Runs until the handler says <see cref="ListWatchStep.Stop"/> or <paramref name="ct"/> is cancelled (which throws).</summary>
    public async Task RunAsync(IListWatchHandler handler, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(handler);
        string? resourceVersion = null;
        var reason = ListReason.Initial;
        var needList = true;
        var listedAt = _time.GetTimestamp();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (needList)
            {
                var (step, rv) = await ListOnceAsync(handler, reason, ct).ConfigureAwait(false);
                switch (step)
                {
                    case ListWatchStep.Stop:
                        return;
                    case ListWatchStep.Retry:
                        reason = ListReason.Relist;
                        continue;
                }

                resourceVersion = rv;
                listedAt = _time.GetTimestamp();
                needList = false;
            }

            var window = _options.WatchTimeout;
            if (_options.ResyncPeriod is { } resync)
            {
                var left = resync - _time.GetElapsedTime(listedAt);
                if (left <= TimeSpan.Zero)
                {
                    handler.OnNotice(new ListWatchNotice(ListWatchNoticeKind.WatchEnded, $"{_path}: resync period of {resync} passed, listing again", TimeSpan.Zero, 0));
                    needList = true;
                    reason = ListReason.Resync;
                    continue;
                }

                window = left < window ? left : window;
            }

            var (outcome, lastVersion) = await WatchOnceAsync(handler, resourceVersion, window, ct).ConfigureAwait(false);
            resourceVersion = lastVersion;
            switch (outcome)
            {
                case WatchOutcome.Stop:
                    return;
                case WatchOutcome.Relist:
                    needList = true;
                    reason = ListReason.Relist;
                    break;
            }
        }
    }

    /// <summary>Lists every page and hands the items over; on failure backs off and asks for another try.</summary>
    private async Task<(ListWatchStep Step, string? ResourceVersion)> ListOnceAsync(IListWatchHandler handler, ListReason reason, CancellationToken ct)
    {
        var pages = new List<JsonDocument>();
        try
        {
            var items = new List<JsonElement>();
            string? resourceVersion = null;
            string? next = null;
            do
            {
                var url = new StringBuilder(_path)
                    .Append(_path.Contains('?', StringComparison.Ordinal) ? '&' : '?')
                    .Append("limit=").Append(_options.PageSize.ToString(CultureInfo.InvariantCulture));
                if (next is not null)
                {
                    url.Append("&continue=").Append(Uri.EscapeDataString(next));
                }

                JsonDocument page;
                try
                {
                    page = await _client.GetAsync(url.ToString(), ct).ConfigureAwait(false);
                }
                catch (KubeApiException e) when (e.IsGone && next is not null)
                {
                    throw new KubeApiException(410, e.Reason, $"list {_path}: the continue token expired between pages, so the list starts over", e);
                }

                pages.Add(page);
                var root = page.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var array)
                    || array.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
                {
                    throw new KubeApiException(0, null, $"list {_path}: the answer is not a list (no items array)");
                }

                if (array.ValueKind == JsonValueKind.Array)
                {
                    items.AddRange(array.EnumerateArray());
                }

                var metadata = root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
                resourceVersion = String(metadata, "resourceVersion") ?? resourceVersion;
                next = String(metadata, "continue") is { Length: > 0 } token ? token : null;
            }
            while (next is not null);

            handler.OnNotice(new ListWatchNotice(ListWatchNoticeKind.Listed, $"{_path}: listed {items.Count} in {pages.Count} page(s) at resourceVersion {resourceVersion}", TimeSpan.Zero, 0));
            var step = await handler.OnListAsync(items, reason, ct).ConfigureAwait(false);
            if (step == ListWatchStep.Retry)
            {
                await FailedAsync(handler, ListWatchNoticeKind.Retrying, $"{_path}: handling the list failed", 0, ct).ConfigureAwait(false);
            }

            return (step, resourceVersion);
        }
        catch (KubeApiException e)
        {
            await FailedAsync(handler, e.IsGone ? ListWatchNoticeKind.Relisting : ListWatchNoticeKind.Retrying, e.Message, e.StatusCode, ct).ConfigureAwait(false);
            return (ListWatchStep.Retry, null);
        }
        finally
        {
            foreach (var page in pages)
            {
                page.Dispose();
            }
        }
    }

    /// <summary>One watch connection, until the stream ends, fails, or the handler stops it.</summary>
    private async Task<(WatchOutcome Outcome, string? ResourceVersion)> WatchOnceAsync(
        IListWatchHandler handler, string? resourceVersion, TimeSpan window, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var idle = window + _options.IdleGrace;
        var events = 0;
        try
        {
            await foreach (var e in _client.WatchAsync(_path, resourceVersion, window, idle, _time, ct).ConfigureAwait(false))
            {
                events++;
                resourceVersion = ResourceVersion(e.Object) ?? resourceVersion;
                if (e.Type is not (KubeWatchEvent.Added or KubeWatchEvent.Modified or KubeWatchEvent.Deleted))
                {
                    continue; // BOOKMARK (or a type from a newer server): only the resourceVersion moves
                }

                switch (await handler.OnEventAsync(e.Type, e.Object, ct).ConfigureAwait(false))
                {
                    case ListWatchStep.Stop:
                        return (WatchOutcome.Stop, resourceVersion);
                    case ListWatchStep.Retry:
                        ResetIfHealthy(started);
                        await FailedAsync(handler, ListWatchNoticeKind.Retrying, $"{_path}: handling a {e.Type} event failed", 0, ct).ConfigureAwait(false);
                        return (WatchOutcome.Relist, resourceVersion);
                }
            }
        }
        catch (KubeApiException e)
        {
            // 410 Gone: the resourceVersion is compacted away. Anything else (an ERROR event, 403, 500, a malformed
            // event) also lists again, as client-go's reflector does: the stream can no longer be trusted.
            ResetIfHealthy(started);
            await FailedAsync(handler, e.IsGone ? ListWatchNoticeKind.Relisting : ListWatchNoticeKind.Retrying, e.Message, e.StatusCode, ct).ConfigureAwait(false);
            return (WatchOutcome.Relist, resourceVersion);
        }

        var open = _time.GetElapsedTime(started);
        if (open >= _options.HealthyAfter)
        {
            _backoff.Reset();
            var why = open >= idle ? $"no byte for {idle.TotalSeconds:0.#} s (a dead connection?)" : "closed by the server";
            handler.OnNotice(new ListWatchNotice(ListWatchNoticeKind.WatchEnded, $"{_path}: watch ended after {open.TotalSeconds:0.#} s and {events} event(s), {why}; watching again from resourceVersion {resourceVersion}", TimeSpan.Zero, 0));
            return (WatchOutcome.Rewatch, resourceVersion);
        }

        // A watch that ends at once, whatever it delivered, must not turn into a hot loop.
        var delay = _backoff.Next();
        handler.OnNotice(new ListWatchNotice(ListWatchNoticeKind.WatchEnded, $"{_path}: watch ended after {open.TotalSeconds:0.###} s and {events} event(s); watching again in {delay.TotalSeconds:0.###} s", delay, 0));
        await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        return (WatchOutcome.Rewatch, resourceVersion);
    }

    private void ResetIfHealthy(long started)
    {
        if (_time.GetElapsedTime(started) >= _options.HealthyAfter)
        {
            _backoff.Reset();
        }
    }

    private async Task FailedAsync(IListWatchHandler handler, ListWatchNoticeKind kind, string message, int status, CancellationToken ct)
    {
        var delay = _backoff.Next();
        var then = kind == ListWatchNoticeKind.Relisting ? "listing again" : "retrying";
        handler.OnNotice(new ListWatchNotice(kind, $"{message} ({then} in {delay.TotalSeconds:0.###} s)", delay, status));
        await Task.Delay(delay, _time, ct).ConfigureAwait(false);
    }

    internal static string? ResourceVersion(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata) ? String(metadata, "resourceVersion") : null;

    private static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private enum WatchOutcome
    {
        Rewatch,
        Relist,
        Stop,
    }
}
