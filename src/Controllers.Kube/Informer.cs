using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Controllers.Kube;

/// <summary>
/// A list-then-watch cache of one kind for the non-AOT controllers (client-go's reflector and informer, in small):
/// a paged list fills the cache, a watch from the list's resourceVersion keeps it current (with bookmarks, a random
/// server-side timeout between one and two <see cref="InformerOptions.WatchTimeout"/>s, and an idle timeout that
/// notices a silent connection); 410 Gone (as an ERROR event or an HTTP status) relists, other failures back off
/// exponentially; a relist hands out the differences as Added/Modified/Deleted; every
/// <see cref="InformerOptions.ResyncPeriod"/> each cached object is handed out again. Handlers run on the informer's
/// loop and must be quick (enqueue a key).
/// </summary>
public sealed class Informer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ListWatch<T> _listWatch;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _kind;
    private readonly ConcurrentDictionary<ObjectKey, T> _store = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Informer(ListWatch<T> listWatch, InformerOptions options, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(listWatch);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _listWatch = listWatch;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _kind = typeof(T).Name;
    }

    /// <summary>Called for every change and resync; must not block.</summary>
    public event Action<InformerEventType, T>? Changed;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Lists done since start (the first one included): a test hook and a health signal.</summary>
    public int Lists { get; private set; }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(ObjectKey key) => _store.GetValueOrDefault(key);

    public IReadOnlyCollection<T> Items => _store.Values.ToList();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resync = _options.ResyncPeriod > TimeSpan.Zero
            ? _time.CreateTimer(_ => Resync(), null, _options.ResyncPeriod, _options.ResyncPeriod)
            : null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
                while (true)
                {
                    var started = _time.GetUtcNow();
                    var (outcome, next, events) = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                    resourceVersion = next;
                    if (outcome == WatchOutcome.Gone)
                    {
                        Log.WatchGone(_logger, _kind, resourceVersion);
                        break;
                    }

                    if (outcome == WatchOutcome.Failed || (events == 0 && _time.GetUtcNow() - started < _options.MinBackoff))
                    {
                        // A watch that fails or ends at once must not become a hot loop.
                        await Task.Delay(Backoff(++failures), _time, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        failures = 0;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = Backoff(++failures);
                Log.ListFailed(_logger, _kind, delay, ex.Message);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? cont = null;
        string? resourceVersion = null;
        do
        {
            ListPage<T> page;
            try
            {
                page = await _listWatch.List(cont, _options.PageSize, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone && cont is not null)
            {
                // The continue token expired mid-list: start again from the first page.
                items.Clear();
                cont = null;
                continue;
            }

            items.AddRange(page.Items);
            cont = page.Continue;
            resourceVersion = page.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(cont));

        var fresh = items.ToDictionary(ObjectKey.Of);
        foreach (var (key, old) in _store)
        {
            if (!fresh.ContainsKey(key) && _store.TryRemove(key, out _))
            {
                Raise(InformerEventType.Deleted, old);
            }
        }

        foreach (var (key, obj) in fresh)
        {
            var had = _store.TryGetValue(key, out var old);
            _store[key] = obj;
            if (!had)
            {
                Raise(InformerEventType.Added, obj);
            }
            else if (old!.Metadata.ResourceVersion != obj.Metadata.ResourceVersion)
            {
                Raise(InformerEventType.Modified, obj);
            }
        }

        Lists++;
        Log.Listed(_logger, _kind, fresh.Count, resourceVersion);
        _synced.TrySetResult();
        return resourceVersion ?? "";
    }

    private async Task<(WatchOutcome Outcome, string ResourceVersion, int Events)> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        Exception? error = null;
        var events = 0;
        var seconds = (int)(_options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        using var idle = new CancellationTokenSource(_options.WatchIdleTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            await foreach (var (type, obj) in _listWatch.Watch(resourceVersion, Math.Max(1, seconds), e => error = e, linked.Token).ConfigureAwait(false))
            {
                idle.CancelAfter(_options.WatchIdleTimeout);
                if (IsGone(error))
                {
                    return (WatchOutcome.Gone, resourceVersion, events);
                }

                if (obj?.Metadata is null)
                {
                    continue;
                }

                events++;
                resourceVersion = obj.Metadata.ResourceVersion ?? resourceVersion;
                var key = ObjectKey.Of(obj);
                switch (type)
                {
                    case WatchEventType.Added:
                    case WatchEventType.Modified:
                        var had = _store.ContainsKey(key);
                        _store[key] = obj;
                        Raise(had ? InformerEventType.Modified : InformerEventType.Added, obj);
                        break;
                    case WatchEventType.Deleted:
                        _store.TryRemove(key, out _);
                        Raise(InformerEventType.Deleted, obj);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.WatchIdle(_logger, _kind, _options.WatchIdleTimeout);
            return (WatchOutcome.Ended, resourceVersion, events);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
        {
            return (WatchOutcome.Gone, resourceVersion, events);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            Log.WatchFailed(_logger, _kind, ex.Message);
            return (WatchOutcome.Failed, resourceVersion, events);
        }

        if (IsGone(error))
        {
            return (WatchOutcome.Gone, resourceVersion, events);
        }

        if (error is not null)
        {
            Log.WatchFailed(_logger, _kind, error.Message);
            return (WatchOutcome.Failed, resourceVersion, events);
        }

        return (WatchOutcome.Ended, resourceVersion, events);
    }

    private static bool IsGone(Exception? error) =>
        error is KubernetesException { Status.Code: 410 } ||
        error is HttpOperationException { Response.StatusCode: HttpStatusCode.Gone };

    private void Resync()
    {
        foreach (var obj in _store.Values)
        {
            Raise(InformerEventType.Resync, obj);
        }
    }

    private void Raise(InformerEventType type, T obj)
    {
        try
        {
            Changed?.Invoke(type, obj);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, _kind, ex);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var ms = _options.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        ms = Math.Min(ms, _options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private enum WatchOutcome
    {
        Ended,
        Gone,
        Failed,
    }
}
