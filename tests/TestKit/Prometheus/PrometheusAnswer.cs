using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.Prometheus;

/// <summary>
/// What the stand-in answers: a status code and a body, optionally after a delay. The factories write the bodies the
/// way Prometheus's HTTP API does (web/api/v1): <c>{"status":"success","data":{"resultType":...,"result":...}}</c>
/// with sample values as strings (<c>"NaN"</c>, <c>"+Inf"</c>), and errors as <c>{"status":"error","errorType":...,
/// "error":...}</c> with the status codes Prometheus uses (400 bad_data, 422 execution, 503 timeout/unavailable).
/// </summary>
public sealed record PrometheusAnswer(int StatusCode, string Body, TimeSpan Delay = default, string ContentType = "application/json")
{
    private const double Time = 1735689600.123;

    public static PrometheusAnswer Vector(params (IReadOnlyDictionary<string, string> Labels, string Value)[] series) =>
        Success("vector", new JsonArray([.. series.Select(s => (JsonNode)new JsonObject
        {
            ["metric"] = Labels(s.Labels),
            ["value"] = new JsonArray(Time, s.Value),
        })]));

    /// <summary>A vector of series with the given values and labels <c>{pod="p0"}</c>, <c>{pod="p1"}</c>, ...</summary>
    public static PrometheusAnswer Values(params string[] values) =>
        Vector([.. values.Select((v, i) => ((IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["pod"] = $"p{i}" }, v))]);

    public static PrometheusAnswer Scalar(string value) => Success("scalar", new JsonArray(Time, value));

    public static PrometheusAnswer Text(string value) => Success("string", new JsonArray(Time, value));

    public static PrometheusAnswer Matrix(IReadOnlyDictionary<string, string> labels, params string[] values) =>
        Success("matrix", new JsonArray(new JsonObject
        {
            ["metric"] = Labels(labels),
            ["values"] = new JsonArray([.. values.Select((v, i) => (JsonNode)new JsonArray(Time - ((values.Length - 1 - i) * 15), v))]),
        }));

    public static PrometheusAnswer BadData(string message) => Error(400, "bad_data", message);

    public static PrometheusAnswer Execution(string message) => Error(422, "execution", message);

    public static PrometheusAnswer Timeout() => Error(503, "timeout", "query timed out in expression evaluation");

    public static PrometheusAnswer Unavailable() => Error(503, "unavailable", "TSDB not ready");

    public static PrometheusAnswer Error(int status, string type, string message) =>
        new(status, new JsonObject { ["status"] = "error", ["errorType"] = type, ["error"] = message }.ToJsonString());

    /// <summary>What a proxy in front of Prometheus answers: not JSON.</summary>
    public static PrometheusAnswer Proxy(int status, string html) => new(status, html, ContentType: "text/html");

    public PrometheusAnswer After(TimeSpan delay) => this with { Delay = delay };

    private static PrometheusAnswer Success(string type, JsonNode result) =>
        new(200, new JsonObject { ["status"] = "success", ["data"] = new JsonObject { ["resultType"] = type, ["result"] = result } }.ToJsonString());

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels) =>
        new(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    public override string ToString() => $"{StatusCode.ToString(CultureInfo.InvariantCulture)} {Body}";
}
