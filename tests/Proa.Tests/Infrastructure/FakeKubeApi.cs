using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Proa.Tests.Infrastructure;

/// <summary>
/// A stand-in kube-apiserver for one pod, on a real Kestrel port: GET of the pod, and the pod collection watch
/// (newline-delimited JSON over a chunked response) replaying every published event newer than the requested
/// resourceVersion, then streaming new ones as the test publishes them.
/// </summary>
internal sealed class FakeKubeApi : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<(long Rv, string Line)> _events = [];
    private readonly ConcurrentDictionary<long, DateTimeOffset> _flushedAt = new();
    private readonly WebApplication _app;
    private JsonObject _current;
    private long _resourceVersion = 100;
    private TaskCompletionSource _changed = NewSignal();
    private int _failGets;
    private int _expireWatches;

    private FakeKubeApi(WebApplication app, JsonObject pod)
    {
        _app = app;
        _current = pod;
        _current.Set("metadata.resourceVersion", _resourceVersion.ToString(CultureInfo.InvariantCulture));
    }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<string> Requests { get; } = new();

    public int GetCount => Requests.Count(r => !r.Contains("watch=", StringComparison.Ordinal));

    public int WatchCount => Requests.Count(r => r.Contains("watch=", StringComparison.Ordinal));

    /// <summary>Signalled on every request and every flushed event, so tests can wait on conditions without sleeping.</summary>
    public Pulse Activity { get; } = new();

    public static async Task<FakeKubeApi> StartAsync(JsonObject pod)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var api = new FakeKubeApi(app, pod);
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}", api.GetPodAsync);
        app.MapGet("/api/v1/namespaces/{ns}/pods", api.WatchAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseAddress = new Uri(address);
        return api;
    }

    /// <summary>The next <paramref name="count"/> GETs answer 500 (an API server hiccup).</summary>
    public void FailNextGets(int count) => Interlocked.Exchange(ref _failGets, count);

    /// <summary>The next <paramref name="count"/> watches answer with a 410 Expired ERROR event.</summary>
    public void ExpireNextWatches(int count) => Interlocked.Exchange(ref _expireWatches, count);

    /// <summary>Replaces the pod and streams a MODIFIED event; returns its resourceVersion.</summary>
    public long Publish(JsonObject pod, string type = "MODIFIED")
    {
        lock (_gate)
        {
            var rv = ++_resourceVersion;
            pod = (JsonObject)pod.DeepClone();
            pod.Set("metadata.resourceVersion", rv.ToString(CultureInfo.InvariantCulture));
            _current = pod;
            _events.Add((rv, new JsonObject { ["type"] = type, ["object"] = pod.DeepClone() }.ToJsonString()));
            var changed = _changed;
            _changed = NewSignal();
            changed.TrySetResult();
            return rv;
        }
    }

    /// <summary>When the event with <paramref name="rv"/> was written and flushed to a watcher (null if not yet).</summary>
    public DateTimeOffset? FlushedAt(long rv) => _flushedAt.TryGetValue(rv, out var at) ? at : null;

    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: stand-in
            clusters:
            - name: stand-in
              cluster:
                server: {BaseAddress.AbsoluteUri.TrimEnd('/')}
            contexts:
            - name: stand-in
              context:
                cluster: stand-in
                user: proa
                namespace: {TestPods.Namespace}
            users:
            - name: proa
              user:
                token: test-token
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task GetPodAsync(HttpContext context, string ns, string name)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        Activity.Signal();
        if (Interlocked.Decrement(ref _failGets) >= 0)
        {
            await WriteStatusAsync(context, 500, "InternalError", "etcdserver: request timed out");
            return;
        }

        string body;
        lock (_gate)
        {
            body = ns == TestPods.Namespace && name == (string?)_current["metadata"]!["name"] ? _current.ToJsonString() : "";
        }

        if (body.Length == 0)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"pods \"{name}\" not found");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private async Task WatchAsync(HttpContext context, string ns)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        Activity.Signal();
        if (context.Request.Query["watch"] != "1" || context.Request.Query["fieldSelector"] != $"metadata.name={TestPods.Name}" || ns != TestPods.Namespace)
        {
            await WriteStatusAsync(context, 400, "BadRequest", "this stand-in only serves the pod watch");
            return;
        }

        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(stop.Token);

        if (Interlocked.Decrement(ref _expireWatches) >= 0)
        {
            await WriteLineAsync(context, """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 100 (250)","reason":"Expired","code":410}}""", stop.Token);
            return;
        }

        var from = long.TryParse(context.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var rv) ? rv : 0;
        try
        {
            while (true)
            {
                List<(long Rv, string Line)> pending;
                Task changed;
                lock (_gate)
                {
                    pending = _events.Where(e => e.Rv > from).ToList();
                    changed = _changed.Task;
                }

                foreach (var (eventRv, line) in pending)
                {
                    await WriteLineAsync(context, line, stop.Token);
                    _flushedAt.TryAdd(eventRv, DateTimeOffset.UtcNow);
                    from = eventRv;
                    Activity.Signal();
                }

                await changed.WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or the stand-in is stopping.
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        return context.Response.WriteAsync(status.ToJsonString());
    }
}
