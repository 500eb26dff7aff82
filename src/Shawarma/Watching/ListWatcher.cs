using System.Diagnostics;
using System.Text.Json;
using Shawarma.Logging;
using Shawarma.State;
using Sidecars.Kube;

namespace Shawarma.Watching;

/// <summary>
/// List-then-watch of one collection, keeping a local copy keyed by name (a minimal informer). Reconnects the
/// watch from the last resourceVersion when the server closes it, lists again on 410 Gone, and backs off on
/// errors (403, 500, connection refused) while the last published snapshot stays in force.
/// </summary>
internal sealed class ListWatcher<T>
{
    private readonly KubeApiClient _kube;
    private readonly string _path;
    private readonly string _what;
    private readonly Func<JsonElement, T> _parse;
    private readonly Action<IReadOnlyCollection<T>> _publish;
    private readonly Log _log;
    private readonly Backoff _backoff;

    public ListWatcher(
        KubeApiClient kube, string path, string what, Func<JsonElement, T> parse, Action<IReadOnlyCollection<T>> publish, Log log, TimeSpan maxBackoff)
    {
        _kube = kube;
        _path = path;
        _what = what;
        _parse = parse;
        _publish = publish;
        _log = log;
        _backoff = new Backoff(TimeSpan.FromMilliseconds(250), maxBackoff);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var items = new Dictionary<string, T>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(items, ct).ConfigureAwait(false);
                _backoff.Reset();
                while (true)
                {
                    resourceVersion = await WatchAsync(items, resourceVersion, ct).ConfigureAwait(false);
                }
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                _log.Info($"{_what}: resourceVersion expired (410 Gone), listing again");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = _backoff.Next();
                _log.Warn($"{_what}: {e.Message} (retrying in {delay.TotalSeconds:0.0} s; keeping the last known state)");
                try
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string?> ListAsync(Dictionary<string, T> items, CancellationToken ct)
    {
        _log.Debug($"{_what}: listing {_path}");
        using var list = await _kube.GetAsync(_path, ct).ConfigureAwait(false);
        var root = list.RootElement;
        items.Clear();
        if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                items[KubeObjectParser.Name(item)] = _parse(item);
            }
        }

        var resourceVersion = KubeObjectParser.ResourceVersion(root);
        _log.Debug($"{_what}: listed {items.Count} at resourceVersion {resourceVersion}");
        _publish([.. items.Values]);
        return resourceVersion;
    }

    /// <summary>Applies one watch connection's events; returns the resourceVersion to resume from.</summary>
    private async Task<string?> WatchAsync(Dictionary<string, T> items, string? resourceVersion, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var events = 0;
        await foreach (var e in _kube.WatchAsync(_path, resourceVersion, ct).ConfigureAwait(false))
        {
            events++;
            resourceVersion = KubeObjectParser.ResourceVersion(e.Object) ?? resourceVersion;
            var name = KubeObjectParser.Name(e.Object);
            switch (e.Type)
            {
                case "ADDED" or "MODIFIED":
                    items[name] = _parse(e.Object);
                    break;
                case "DELETED":
                    items.Remove(name);
                    break;
                default:
                    continue; // BOOKMARK: only the resourceVersion moves
            }

            _log.Debug($"{_what}: {e.Type} {name} (resourceVersion {resourceVersion})");
            _publish([.. items.Values]);
        }

        _log.Debug($"{_what}: watch closed after {events} events, reconnecting from resourceVersion {resourceVersion}");
        if (events == 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
        {
            // A server that closes every watch at once must not make us spin.
            await Task.Delay(_backoff.Next(), ct).ConfigureAwait(false);
        }
        else
        {
            _backoff.Reset();
        }

        return resourceVersion;
    }
}
