using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace TestKit.Prometheus;

/// <summary>
/// A stand-in Prometheus on loopback: <c>GET /api/v1/query?query=...</c> and <c>POST /api/v1/query</c> with a form
/// body (as the real API accepts both), answered by <see cref="Answer"/> (an empty vector by default). A missing
/// <c>query</c> parameter gets Prometheus's own 400 bad_data. Every query is recorded.
/// </summary>
public sealed class PrometheusStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PrometheusQuery> _queries = new();

    private PrometheusStandIn(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Decides the answer to each query; may be replaced while the server runs.</summary>
    public Func<PrometheusQuery, PrometheusAnswer> Answer { get; set; } = _ => PrometheusAnswer.Values();

    public IReadOnlyList<PrometheusQuery> Queries => [.. _queries];

    public static async Task<PrometheusStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var standIn = new PrometheusStandIn(app);
        app.MapMethods("/api/v1/query", ["GET", "POST"], standIn.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Urls.First();
        standIn.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var values = request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        if (request.Method == "POST" && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (k, v) in form)
            {
                values[k] = v.ToString();
            }
        }

        var query = new PrometheusQuery(request.Method, values.GetValueOrDefault("query") ?? "", values.GetValueOrDefault("time"),
            values.GetValueOrDefault("timeout"), request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null);
        _queries.Enqueue(query);
        var answer = string.IsNullOrEmpty(query.Query)
            ? PrometheusAnswer.BadData("invalid parameter \"query\": 1:1: parse error: no expression found in input")
            : Answer(query);
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.StatusCode;
        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
