using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shawarma.Tests.Fakes;

/// <summary>
/// A stand-in Kubernetes API server (in-test Kestrel): list and watch of EndpointSlices and Services in one
/// namespace, with resourceVersions, an event history replayed to watches, chunked newline-delimited watch
/// streams, 410 Gone as an ERROR event, server-side watch close and injected plain HTTP failures.
/// </summary>
internal sealed class FakeKubeApi : IAsyncDisposable
{
    public const string Token = "test-token";
    private const string SlicesPath = "/apis/discovery.k8s.io/v1/namespaces/" + KubeJson.Namespace + "/endpointslices";
    private const string ServicesPath = "/api/v1/namespaces/" + KubeJson.Namespace + "/services";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _store = new() { ["slices"] = [], ["services"] = [] };
    private readonly List<(long Rv, string Kind, JsonObject? Old, JsonObject? Current)> _history = [];
    private readonly List<Watcher> _watchers = [];
    private readonly ConcurrentQueue<int> _failures = new();
    private long _rv = 1000;
    private long _oldestRv;

    private FakeKubeApi(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<string> Requests { get; } = new();

    public int FailuresServed;

    public DateTime? FirstRequestAt { get; private set; }

    public void ResetFirstRequest() => FirstRequestAt = null;

    public static async Task<FakeKubeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeKubeApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Url = new Uri(app.Urls.First());
        return fake;
    }

    public int ListCount(string kind) => Requests.Count(r => r.StartsWith(PathOf(kind), StringComparison.Ordinal) && !r.Contains("watch=1", StringComparison.Ordinal));

    public int WatchCount(string kind) => Requests.Count(r => r.StartsWith(PathOf(kind), StringComparison.Ordinal) && r.Contains("watch=1", StringComparison.Ordinal));

    public int ActiveWatches(string kind)
    {
        lock (_lock)
        {
            return _watchers.Count(w => w.Kind == kind);
        }
    }

    /// <summary>Creates or replaces an object. <paramref name="notify"/> false changes the store without any watch event (as if the event was compacted away).</summary>
    public void Upsert(string kind, JsonObject obj, bool notify = true)
    {
        lock (_lock)
        {
            var name = (string)obj["metadata"]!["name"]!;
            _store[kind].TryGetValue(name, out var old);
            obj["metadata"]!["resourceVersion"] = (++_rv).ToString();
            _store[kind][name] = (JsonObject)obj.DeepClone();
            if (notify)
            {
                Publish(kind, old, obj);
            }
        }
    }

    public void Delete(string kind, string name)
    {
        lock (_lock)
        {
            if (_store[kind].Remove(name, out var obj))
            {
                obj["metadata"]!["resourceVersion"] = (++_rv).ToString();
                Publish(kind, obj, null);
            }
        }
    }

    public void Bookmark(string kind)
    {
        lock (_lock)
        {
            var bookmark = new JsonObject
            {
                ["kind"] = kind == "slices" ? "EndpointSlice" : "Service",
                ["apiVersion"] = kind == "slices" ? "discovery.k8s.io/v1" : "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = (++_rv).ToString() },
            };
            foreach (var w in _watchers.Where(w => w.Kind == kind))
            {
                w.Lines.Writer.TryWrite(Event("BOOKMARK", bookmark));
            }
        }
    }

    /// <summary>Ends every open watch stream normally (as the API server does at its timeout).</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var w in _watchers)
            {
                w.Lines.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Compacts history: open watches get a 410 ERROR event and end; watching from an older version gets 410.</summary>
    public void Expire()
    {
        lock (_lock)
        {
            _oldestRv = ++_rv;
            _history.Clear();
            foreach (var w in _watchers)
            {
                w.Lines.Writer.TryWrite(GoneEvent(w.Rv));
                w.Lines.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> requests (list or watch) fail with a plain HTTP <paramref name="status"/>.</summary>
    public void FailNext(int status, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue(status);
        }
    }

    public async ValueTask DisposeAsync()
    {
        CloseWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string PathOf(string kind) => kind == "slices" ? SlicesPath : ServicesPath;

    /// <summary>
    /// Records and sends a change. Like kube-apiserver's filtered watch, an object that starts matching a watch's
    /// selector arrives as ADDED and one that stops matching as DELETED.
    /// </summary>
    private void Publish(string kind, JsonObject? old, JsonObject? current)
    {
        var obj = current ?? old!;
        var rv = long.Parse((string)obj["metadata"]!["resourceVersion"]!);
        _history.Add((rv, kind, old, current));
        foreach (var w in _watchers.Where(w => w.Kind == kind))
        {
            if (EventFor(w.Selector, old, current) is { } line)
            {
                w.Lines.Writer.TryWrite(line);
            }
        }
    }

    private static string? EventFor(Selector selector, JsonObject? old, JsonObject? current)
    {
        var before = old is not null && selector.Matches(old);
        var after = current is not null && selector.Matches(current);
        return (before, after) switch
        {
            (false, true) => Event("ADDED", current!),
            (true, true) => Event("MODIFIED", current!),
            (true, false) => Event("DELETED", current ?? old!),
            _ => null,
        };
    }

    private static string Event(string type, JsonObject obj) =>
        new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();

    private static string GoneEvent(long rv) => new JsonObject
    {
        ["type"] = "ERROR",
        ["object"] = KubeJson.Status(410, "Expired", $"too old resource version: {rv} (compacted)"),
    }.ToJsonString();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(request.Path + request.QueryString);
        FirstRequestAt ??= DateTime.UtcNow;
        if (request.Headers.Authorization != "Bearer " + Token)
        {
            await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }

        if (_failures.TryDequeue(out var failure))
        {
            Interlocked.Increment(ref FailuresServed);
            if (failure == 403)
            {
                await WriteStatusAsync(context, 403, "Forbidden", $"endpointslices.discovery.k8s.io is forbidden: User \"system:serviceaccount:shop:default\" cannot list resource in the namespace \"{KubeJson.Namespace}\"");
            }
            else
            {
                context.Response.StatusCode = failure; // a plain, non-Status error body, as proxies send
                await context.Response.WriteAsync("internal error\n");
            }

            return;
        }

        var kind = request.Path == SlicesPath ? "slices" : request.Path == ServicesPath ? "services" : null;
        if (kind is null || request.Method != "GET")
        {
            await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        var selector = Selector.Parse(request.Query["labelSelector"], request.Query["fieldSelector"]);
        if (request.Query["watch"] == "1")
        {
            await WatchAsync(context, kind, selector);
        }
        else
        {
            await ListAsync(context, kind, selector);
        }
    }

    private async Task ListAsync(HttpContext context, string kind, Selector selector)
    {
        string body;
        lock (_lock)
        {
            var items = new JsonArray();
            foreach (var obj in _store[kind].Values.Where(selector.Matches))
            {
                var item = (JsonObject)obj.DeepClone();
                item.Remove("kind");
                item.Remove("apiVersion");
                items.Add(item);
            }

            body = new JsonObject
            {
                ["kind"] = kind == "slices" ? "EndpointSliceList" : "ServiceList",
                ["apiVersion"] = kind == "slices" ? "discovery.k8s.io/v1" : "v1",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _rv.ToString() },
                ["items"] = items,
            }.ToJsonString();
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private async Task WatchAsync(HttpContext context, string kind, Selector selector)
    {
        _ = long.TryParse(context.Request.Query["resourceVersion"], out var rv);
        var watcher = new Watcher(kind, selector, rv);
        lock (_lock)
        {
            if (rv < _oldestRv)
            {
                watcher.Lines.Writer.TryWrite(GoneEvent(rv));
                watcher.Lines.Writer.TryComplete();
            }
            else
            {
                foreach (var h in _history.Where(h => h.Kind == kind && h.Rv > rv))
                {
                    if (EventFor(selector, h.Old, h.Current) is { } line)
                    {
                        watcher.Lines.Writer.TryWrite(line);
                    }
                }

                _watchers.Add(watcher);
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(); // headers now; body chunked, one event per line
        try
        {
            await foreach (var line in watcher.Lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(line + "\n", Encoding.UTF8, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // client went away
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(KubeJson.Status(code, reason, message).ToJsonString());
    }

    private sealed class Watcher(string kind, Selector selector, long rv)
    {
        public string Kind { get; } = kind;

        public long Rv { get; } = rv;

        public Selector Selector { get; } = selector;

        public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();
    }
}
