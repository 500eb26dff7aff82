namespace Canary.Tests.Support;

/// <summary>Response bodies as Prometheus's HTTP API writes them (shapes from its documentation and source).</summary>
internal static class PromJson
{
    public const string EmptyVector = """{"status":"success","data":{"resultType":"vector","result":[]}}""";

    public static string Vector(params string[] values) =>
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" +
        string.Join(",", values.Select((v, i) => $"{{\"metric\":{{\"__name__\":\"istio_requests_total\",\"destination_workload\":\"web-canary\",\"pod\":\"p{i}\"}},\"value\":[1735689600.123,\"{v}\"]}}")) +
        "]}}";

    public static string Scalar(string value) => $"{{\"status\":\"success\",\"data\":{{\"resultType\":\"scalar\",\"result\":[1735689600.123,\"{value}\"]}}}}";

    public const string Matrix = """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"web"},"values":[[1735689570,"0.1"],[1735689585,"0.2"],[1735689600,"0.3"]]}]}}""";

    public const string EmptyMatrix = """{"status":"success","data":{"resultType":"matrix","result":[]}}""";

    public const string String = """{"status":"success","data":{"resultType":"string","result":[1735689600.123,"hello"]}}""";

    public const string WithWarnings = """{"status":"success","warnings":["PromQL info: metric might not be a counter"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1735689600,"0.01"]}]}}""";

    public const string NativeHistogram = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"http_request_duration_seconds"},"histogram":[1735689600,{"count":"10","sum":"3.2","buckets":[[0,"-0.001","0.001","2"]]}]}]}}""";

    public const string BadData = """{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:6: parse error: unexpected right parenthesis ')'"}""";

    public const string Timeout = """{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}""";

    public const string Execution = """{"status":"error","errorType":"execution","error":"found duplicate series for the match group"}""";
}
