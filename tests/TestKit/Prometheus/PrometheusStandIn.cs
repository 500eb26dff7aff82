using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestKit.Hosting;

namespace TestKit.Prometheus;

/// <summary>
/// A stand-in Prometheus on a real Kestrel port speaking the HTTP query API: <c>/api/v1/query</c> and
/// <c>/api/v1/query_range</c>, GET or POST form, with Prometheus's parameter validation (400 bad_data), answers
/// scripted per query (every result type, NaN/±Inf, errors with their HTTP codes, hangs, garbage), and every query
/// recorded. Unscripted queries answer an empty result ("no data").
/// </summary>
public sealed class PrometheusStandIn : IAsyncDisposable
{
    /// <summary>Prometheus's limit on points per series of a range query.</summary>
    public const int MaxPointsPerSeries = 11_000;

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<PrometheusQuery> _queries = new();
    private readonly ConcurrentDictionary<string, Queue<PrometheusResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private volatile Func<PrometheusQuery, PrometheusResponse?>? _handler;

    private PrometheusStandIn(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>The base URL (no trailing slash), e.g. <c>http://127.0.0.1:39123</c>.</summary>
    public Uri Url { get; private init; } = null!;

    /// <summary>Every query received, in order.</summary>
    public IReadOnlyList<PrometheusQuery> Queries => _queries.ToList();

    /// <summary>When set, requests without <c>Authorization: Bearer &lt;token&gt;</c> get 401 (as an auth proxy would answer).</summary>
    public string? RequiredBearerToken { get; set; }

    /// <summary>The answer to queries nothing else scripts (default: an empty result).</summary>
    public PrometheusResponse? Default { get; set; }

    public static async Task<PrometheusStandIn> StartAsync(TimeProvider? time = null)
    {
        PrometheusStandIn? standIn = null;
        var (app, url) = await LoopbackHttp.StartAsync(context => standIn!.HandleAsync(context)).ConfigureAwait(false);
        standIn = new PrometheusStandIn(app, time ?? TimeProvider.System) { Url = url };
        return standIn;
    }

    /// <summary>
    /// Scripts the answers to <paramref name="query"/> (matched exactly after trimming): one per call, in order; the
    /// last one repeats.
    /// </summary>
    public void Respond(string query, params PrometheusResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (responses.Length == 0)
        {
            throw new ArgumentException("give at least one response", nameof(responses));
        }

        _scripts[query.Trim()] = new Queue<PrometheusResponse>(responses);
    }

    /// <summary>Answers every query with what <paramref name="handler"/> returns (null: fall back to scripts and the default).</summary>
    public void RespondWith(Func<PrometheusQuery, PrometheusResponse?> handler) => _handler = handler;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var endpoint = path switch
        {
            "/api/v1/query" => "query",
            "/api/v1/query_range" => "query_range",
            _ => null,
        };
        if (endpoint is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("404 page not found\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (request.Method is not ("GET" or "POST"))
        {
            context.Response.StatusCode = 405;
            return;
        }

        var parameters = HttpUtility.ParseQueryString(request.QueryString.Value ?? "");
        if (request.Method == "POST" && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (key, values) in form)
            {
                foreach (var value in values)
                {
                    parameters.Add(key, value);
                }
            }
        }

        var query = new PrometheusQuery(endpoint, request.Method, parameters["query"], parameters, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, _time.GetUtcNow());
        _queries.Enqueue(query);
        if (RequiredBearerToken is { } token && query.Authorization != "Bearer " + token)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("Unauthorized\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (Validate(query, out var evaluation) is { } invalid)
        {
            await WriteAsync(context, invalid, query, evaluation).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, Choose(query), query, evaluation).ConfigureAwait(false);
    }

    private PrometheusResponse Choose(PrometheusQuery query)
    {
        if (_handler?.Invoke(query) is { } handled)
        {
            return handled;
        }

        if (query.Query is not null && _scripts.TryGetValue(query.Query.Trim(), out var script))
        {
            lock (script)
            {
                return script.Count > 1 ? script.Dequeue() : script.Peek();
            }
        }

        return Default ?? (query.IsRange ? PrometheusResponse.Matrix() : PrometheusResponse.EmptyVector);
    }

    /// <summary>Prometheus's parameter checks; returns the error answer or null, and the evaluation time/range.</summary>
    private PrometheusResponse? Validate(PrometheusQuery query, out Evaluation evaluation)
    {
        evaluation = new Evaluation(ToUnix(_time.GetUtcNow()), 0, 0, 0);
        if (query.Timeout is { } timeout && ParseDuration(timeout) is null)
        {
            return PrometheusResponse.BadData($"invalid parameter \"timeout\": cannot parse \"{timeout}\" to a valid duration");
        }

        if (!query.IsRange)
        {
            if (query.Time is { } time)
            {
                if (ParseTime(time) is not { } at)
                {
                    return PrometheusResponse.BadData($"invalid parameter \"time\": cannot parse \"{time}\" to a valid timestamp");
                }

                evaluation = evaluation with { Time = at };
            }
        }
        else
        {
            if (ParseTime(query.Start ?? "") is not { } start)
            {
                return PrometheusResponse.BadData($"invalid parameter \"start\": cannot parse \"{query.Start}\" to a valid timestamp");
            }

            if (ParseTime(query.End ?? "") is not { } end)
            {
                return PrometheusResponse.BadData($"invalid parameter \"end\": cannot parse \"{query.End}\" to a valid timestamp");
            }

            if (end < start)
            {
                return PrometheusResponse.BadData("invalid parameter \"end\": end timestamp must not be before start time");
            }

            if (ParseDuration(query.Step ?? "") is not { } step)
            {
                return PrometheusResponse.BadData($"invalid parameter \"step\": cannot parse \"{query.Step}\" to a valid duration");
            }

            if (step <= 0)
            {
                return PrometheusResponse.BadData("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
            }

            if ((end - start) / step > MaxPointsPerSeries)
            {
                return PrometheusResponse.BadData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
            }

            evaluation = new Evaluation(end, start, end, step);
        }

        if (string.IsNullOrWhiteSpace(query.Query))
        {
            return PrometheusResponse.BadData("invalid parameter \"query\": 1:1: parse error: no expression found in input");
        }

        return null;
    }

    private async Task WriteAsync(HttpContext context, PrometheusResponse response, PrometheusQuery query, Evaluation evaluation)
    {
        switch (response)
        {
            case PrometheusResponse.DelayedResponse delayed:
                await Task.Delay(delayed.Delay, context.RequestAborted).ConfigureAwait(false);
                await WriteAsync(context, delayed.Then, query, evaluation).ConfigureAwait(false);
                return;
            case PrometheusResponse.HangResponse:
                await LoopbackHttp.HangAsync(context, _stopping.Token).ConfigureAwait(false);
                return;

            case PrometheusResponse.HugeResponse huge:
                await WriteHugeAsync(context, huge.Bytes).ConfigureAwait(false);
                return;

            case PrometheusResponse.RawResponse raw:
                context.Response.StatusCode = raw.HttpCode;
                context.Response.ContentType = raw.ContentType;
                await context.Response.WriteAsync(raw.Body, context.RequestAborted).ConfigureAwait(false);
                return;
            case PrometheusResponse.ErrorResponse error:
                await WriteJsonAsync(context, error.HttpCode, new JsonObject
                {
                    ["status"] = "error",
                    ["errorType"] = error.ErrorType,
                    ["error"] = error.Message,
                }).ConfigureAwait(false);
                return;
        }

        var (resultType, result) = Result(response, query, evaluation);
        var body = new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject { ["resultType"] = resultType, ["result"] = result },
        };
        if (response.Warnings.Count > 0)
        {
            body["warnings"] = new JsonArray(response.Warnings.Select(w => (JsonNode)w).ToArray());
        }

        await WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    /// <summary>Streams the envelope of <see cref="PrometheusResponse.Huge"/> chunk by chunk (never whole in memory).</summary>
    private static async Task WriteHugeAsync(HttpContext context, long bytes)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var head = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["u8.ToArray();
        var entry = "{\"metric\":{\"pod\":\"p\"},\"value\":[1700000000,\"1\"]},"u8.ToArray();
        var chunk = new byte[entry.Length * 1024];
        for (var i = 0; i < 1024; i++)
        {
            entry.CopyTo(chunk, i * entry.Length);
        }

        var body = context.Response.Body;
        await body.WriteAsync(head, context.RequestAborted).ConfigureAwait(false);
        for (long sent = head.Length; sent < bytes; sent += chunk.Length)
        {
            await body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
        }

        await body.WriteAsync("{\"metric\":{},\"value\":[1700000000,\"1\"]}]}}"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static (string Type, JsonNode Result) Result(PrometheusResponse response, PrometheusQuery query, Evaluation evaluation)
    {
        switch (response)
        {
            case PrometheusResponse.VectorResponse vector when query.IsRange:
            {
                // A range query always answers a matrix: the scripted samples hold their value at every step.
                var series = new JsonArray();
                foreach (var sample in vector.Samples)
                {
                    var values = new JsonArray();
                    for (var t = evaluation.Start; t <= evaluation.End + 1e-9; t += evaluation.Step)
                    {
                        values.Add(PrometheusResponse.Pair(t, sample.Value));
                    }

                    series.Add(new JsonObject { ["metric"] = Labels(sample.Labels), ["values"] = values });
                }

                return ("matrix", series);
            }

            case PrometheusResponse.VectorResponse vector:
            {
                var result = new JsonArray();
                foreach (var sample in vector.Samples)
                {
                    result.Add(new JsonObject { ["metric"] = Labels(sample.Labels), ["value"] = PrometheusResponse.Pair(evaluation.Time, sample.Value) });
                }

                return ("vector", result);
            }

            case PrometheusResponse.ScalarResponse scalar:
                return ("scalar", PrometheusResponse.Pair(evaluation.Time, scalar.Number));
            case PrometheusResponse.StringResponse text:
                return ("string", new JsonArray(JsonValue.Create(Math.Round(evaluation.Time, 3)), text.Text));
            case PrometheusResponse.MatrixResponse matrix:
            {
                var result = new JsonArray();
                foreach (var series in matrix.Series)
                {
                    var values = new JsonArray();
                    foreach (var (time, value) in series.Points)
                    {
                        values.Add(PrometheusResponse.Pair(time, value));
                    }

                    result.Add(new JsonObject { ["metric"] = Labels(series.Labels), ["values"] = values });
                }

                return ("matrix", result);
            }

            default:
                throw new InvalidOperationException($"unexpected response {response}");
        }
    }

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            obj[name] = value;
        }

        return obj;
    }

    private static Task WriteJsonAsync(HttpContext context, int code, JsonObject body) => LoopbackHttp.WriteJsonAsync(context, code, body);

    private static double ToUnix(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A Prometheus timestamp: unix seconds (fractions allowed) or RFC 3339.</summary>
    private static double? ParseTime(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var unix) && double.IsFinite(unix))
        {
            return unix;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.Ordinal)
            ? ToUnix(time)
            : null;
    }

    /// <summary>A Prometheus duration in seconds: a float number of seconds, or <c>[0-9]+(ms|s|m|h|d|w|y)</c> units.</summary>
    private static double? ParseDuration(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return seconds;
        }

        var match = System.Text.RegularExpressions.Regex.Match(text, "^(?:([0-9]+)(ms|s|m|h|d|w|y))+$");
        if (!match.Success)
        {
            return null;
        }

        double total = 0;
        var units = match.Groups[2].Captures;
        var numbers = match.Groups[1].Captures;
        for (var i = 0; i < units.Count; i++)
        {
            var n = double.Parse(numbers[i].Value, CultureInfo.InvariantCulture);
            total += units[i].Value switch
            {
                "ms" => n / 1000,
                "s" => n,
                "m" => n * 60,
                "h" => n * 3600,
                "d" => n * 86400,
                "w" => n * 604800,
                _ => n * 31536000,
            };
        }

        return total;
    }

    private readonly record struct Evaluation(double Time, double Start, double End, double Step);
}
