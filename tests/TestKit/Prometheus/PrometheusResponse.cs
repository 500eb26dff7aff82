using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.Prometheus;

/// <summary>
/// A scripted answer of the Prometheus HTTP API (/api/v1/query, /api/v1/query_range), in the real envelope:
/// <c>{"status":"success","data":{"resultType":"vector|scalar|matrix|string","result":...}}</c> with values as
/// <c>[&lt;unix seconds&gt;, "&lt;value&gt;"]</c> ("NaN", "+Inf", "-Inf" included), or
/// <c>{"status":"error","errorType":"...","error":"..."}</c> with the real HTTP codes (400 bad_data, 422 execution,
/// 503 timeout/canceled); or something no Prometheus sends (invalid JSON, a proxy's HTML, a hang).
/// </summary>
public abstract record PrometheusResponse
{
    /// <summary>An empty instant vector: the query matched no series ("no data").</summary>
    public static PrometheusResponse EmptyVector { get; } = new VectorResponse([]);

    /// <summary>Warnings to add to a success envelope.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static PrometheusResponse Vector(params PrometheusSample[] samples) => new VectorResponse(samples);

    /// <summary>One unlabelled series with <paramref name="value"/> (what <c>sum(...)</c> returns).</summary>
    public static PrometheusResponse Value(double value) => new VectorResponse([new PrometheusSample(new Dictionary<string, string>(), value)]);

    public static PrometheusResponse Scalar(double value) => new ScalarResponse(value);

    public static PrometheusResponse String(string value) => new StringResponse(value);

    public static PrometheusResponse Matrix(params PrometheusSeries[] series) => new MatrixResponse(series);

    /// <summary>400 bad_data: a missing or malformed parameter, or a query that does not parse.</summary>
    public static PrometheusResponse BadData(string message) => new ErrorResponse(400, "bad_data", message);

    /// <summary>422 execution: the expression cannot be executed.</summary>
    public static PrometheusResponse Execution(string message) => new ErrorResponse(422, "execution", message);

    /// <summary>503 timeout: the query timed out.</summary>
    public static PrometheusResponse Timeout(string message = "query timed out in expression evaluation") => new ErrorResponse(503, "timeout", message);

    /// <summary>503 canceled: the query was aborted.</summary>
    public static PrometheusResponse Canceled(string message = "query was canceled in expression evaluation") => new ErrorResponse(503, "canceled", message);

    /// <summary>Any error envelope.</summary>
    public static PrometheusResponse Error(int httpCode, string errorType, string message) => new ErrorResponse(httpCode, errorType, message);

    /// <summary>A raw answer no Prometheus sends (a proxy's 502 page, a truncated or non-JSON body).</summary>
    public static PrometheusResponse Raw(int httpCode, string body, string contentType = "text/plain; charset=utf-8") => new RawResponse(httpCode, body, contentType);

    /// <summary>Never answers until the client gives up.</summary>
    public static PrometheusResponse Hang() => new HangResponse();

    /// <summary>
    /// A success envelope whose vector goes on for <paramref name="bytes"/> bytes (one-series entries), streamed in
    /// chunks without a Content-Length, as a runaway query answers: a client must stop reading at its own limit.
    /// </summary>
    public static PrometheusResponse Huge(long bytes) => new HugeResponse(bytes);

    /// <summary>Answers <paramref name="then"/> after <paramref name="delay"/>.</summary>
    public static PrometheusResponse Delayed(TimeSpan delay, PrometheusResponse then) => new DelayedResponse(delay, then);

    /// <summary>Prometheus's float formatting: shortest round-trip, and NaN, +Inf, -Inf.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A sample pair <c>[unix seconds (ms precision), "value"]</c>.</summary>
    public static JsonArray Pair(double unixSeconds, double value) =>
        new(JsonValue.Create(Math.Round(unixSeconds, 3)), FormatValue(value));

    internal sealed record VectorResponse(IReadOnlyList<PrometheusSample> Samples) : PrometheusResponse;

    internal sealed record ScalarResponse(double Number) : PrometheusResponse;

    internal sealed record StringResponse(string Text) : PrometheusResponse;

    internal sealed record MatrixResponse(IReadOnlyList<PrometheusSeries> Series) : PrometheusResponse;

    internal sealed record ErrorResponse(int HttpCode, string ErrorType, string Message) : PrometheusResponse;

    internal sealed record RawResponse(int HttpCode, string Body, string ContentType) : PrometheusResponse;

    internal sealed record HangResponse : PrometheusResponse;

    internal sealed record HugeResponse(long Bytes) : PrometheusResponse;

    internal sealed record DelayedResponse(TimeSpan Delay, PrometheusResponse Then) : PrometheusResponse;
}
