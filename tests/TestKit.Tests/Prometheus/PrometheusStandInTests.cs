using System.Net;
using System.Text.Json.Nodes;
using TestKit.Prometheus;
using TestKit.Time;

namespace TestKit.Tests.Prometheus;

/// <summary>The Prometheus stand-in's wire shapes, as the HTTP API documents them.</summary>
public sealed class PrometheusStandInTests
{
    private const string Query = "sum(rate(http_requests_total{status=~\"5..\"}[1m]))";

    private static async Task<(HttpStatusCode Code, string Body)> GetAsync(PrometheusStandIn prometheus, string pathAndQuery)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(prometheus.Url, pathAndQuery));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Encode(string query) => Uri.EscapeDataString(query);

    [Fact]
    public async Task An_instant_vector_carries_labels_and_string_values_at_the_evaluation_time()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync(FakeClock.Create());
        prometheus.Respond(Query, PrometheusResponse.Vector(PrometheusSample.Of(0.25, ("job", "web"), ("instance", "a")), PrometheusSample.Of(double.NaN, ("job", "api"))));

        var (code, body) = await GetAsync(prometheus, "/api/v1/query?query=" + Encode(Query));

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"a","job":"web"},"value":[1746093600,"0.25"]},{"metric":{"job":"api"},"value":[1746093600,"NaN"]}]}}""", body);
        var recorded = Assert.Single(prometheus.Queries);
        Assert.Equal(("query", "GET", Query), (recorded.Endpoint, recorded.Method, recorded.Query));
    }

    [Fact]
    public async Task A_huge_answer_is_valid_json_streamed_without_a_content_length()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        prometheus.Default = PrometheusResponse.Huge(3 * 1024 * 1024);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(prometheus.Url, "/api/v1/query?query=up"), HttpCompletionOption.ResponseHeadersRead);

        Assert.Null(response.Content.Headers.ContentLength);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.InRange(body.Length, 3 * 1024 * 1024, 4 * 1024 * 1024);
        var result = JsonNode.Parse(body)!["data"]!["result"]!.AsArray();
        Assert.True(result.Count > 50_000);
        Assert.Equal("1", result[^1]!["value"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task Scalars_strings_infinities_and_an_explicit_time()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        prometheus.Respond("scalar(x)", PrometheusResponse.Scalar(double.PositiveInfinity));
        prometheus.Respond("\"text\"", PrometheusResponse.String("hello"));
        prometheus.Respond("neg", PrometheusResponse.Value(double.NegativeInfinity));

        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"+Inf"]}}""",
            (await GetAsync(prometheus, "/api/v1/query?time=1700000000.5&query=" + Encode("scalar(x)"))).Body);
        Assert.Equal("""{"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}}""",
            (await GetAsync(prometheus, "/api/v1/query?time=2023-11-14T22:13:20Z&query=" + Encode("\"text\""))).Body);
        Assert.Contains("\"-Inf\"", (await GetAsync(prometheus, "/api/v1/query?query=neg")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_form_queries_are_answered_and_recorded_like_gets()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        var longQuery = "sum(" + string.Join(" + ", Enumerable.Range(0, 300).Select(i => $"metric_{i}")) + ")";
        prometheus.Respond(longQuery, PrometheusResponse.Value(1));
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(prometheus.Url, "/api/v1/query"), new FormUrlEncodedContent(new Dictionary<string, string> { ["query"] = longQuery }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["result"]![0]!["value"]![1]);
        Assert.Equal("POST", Assert.Single(prometheus.Queries).Method);
    }

    [Fact]
    public async Task Range_queries_answer_matrices_and_validate_their_parameters()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        prometheus.Respond("up", PrometheusResponse.Value(1));

        var (code, body) = await GetAsync(prometheus, "/api/v1/query_range?query=up&start=100&end=160&step=30s");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[100,"1"],[130,"1"],[160,"1"]]}]}}""", body);

        Assert.Equal((HttpStatusCode.BadRequest, """{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": cannot parse \"\" to a valid timestamp"}"""),
            await GetAsync(prometheus, "/api/v1/query_range?query=up&end=1&step=1"));
        Assert.Contains("end timestamp must not be before start time", (await GetAsync(prometheus, "/api/v1/query_range?query=up&start=10&end=1&step=1")).Body, StringComparison.Ordinal);
        Assert.Contains("zero or negative query resolution step widths", (await GetAsync(prometheus, "/api/v1/query_range?query=up&start=1&end=10&step=0")).Body, StringComparison.Ordinal);
        Assert.Contains("exceeded maximum resolution of 11,000 points", (await GetAsync(prometheus, "/api/v1/query_range?query=up&start=0&end=100000&step=1")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_have_their_http_codes_and_types()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        prometheus.Respond("exec", PrometheusResponse.Execution("many-to-many matching not allowed"));
        prometheus.Respond("slow", PrometheusResponse.Timeout());
        prometheus.Respond("proxy", PrometheusResponse.Raw(502, "<html>Bad Gateway</html>", "text/html"));

        Assert.Equal((HttpStatusCode.BadRequest, """{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error: no expression found in input"}"""),
            await GetAsync(prometheus, "/api/v1/query"));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}"""),
            await GetAsync(prometheus, "/api/v1/query?query=exec"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(prometheus, "/api/v1/query?query=slow")).Code);
        Assert.Equal((HttpStatusCode.BadGateway, "<html>Bad Gateway</html>"), await GetAsync(prometheus, "/api/v1/query?query=proxy"));
        Assert.Equal("invalid parameter \"time\": cannot parse \"soon\" to a valid timestamp",
            (string?)JsonNode.Parse((await GetAsync(prometheus, "/api/v1/query?query=x&time=soon")).Body)!["error"]);
    }

    [Fact]
    public async Task Scripts_answer_in_order_then_repeat_and_unscripted_queries_have_no_data()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        prometheus.Respond("q", PrometheusResponse.Value(1), PrometheusResponse.Value(2));

        string ValueOf(string body) => (string)JsonNode.Parse(body)!["data"]!["result"]![0]!["value"]![1]!;
        Assert.Equal("1", ValueOf((await GetAsync(prometheus, "/api/v1/query?query=q")).Body));
        Assert.Equal("2", ValueOf((await GetAsync(prometheus, "/api/v1/query?query=q")).Body));
        Assert.Equal("2", ValueOf((await GetAsync(prometheus, "/api/v1/query?query=q")).Body));
        Assert.Equal("""{"status":"success","data":{"resultType":"vector","result":[]}}""", (await GetAsync(prometheus, "/api/v1/query?query=other")).Body);
    }

    [Fact]
    public async Task A_hang_lasts_until_the_client_times_out_and_a_token_can_be_required()
    {
        await using var prometheus = await PrometheusStandIn.StartAsync();
        prometheus.Respond("hang", PrometheusResponse.Hang());
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync(new Uri(prometheus.Url, "/api/v1/query?query=hang")));

        prometheus.RequiredBearerToken = "secret";
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(prometheus, "/api/v1/query?query=up")).Code);
        using var authorized = new HttpClient();
        authorized.DefaultRequestHeaders.Authorization = new("Bearer", "secret");
        Assert.Equal(HttpStatusCode.OK, (await authorized.GetAsync(new Uri(prometheus.Url, "/api/v1/query?query=up"))).StatusCode);
        Assert.Equal("Bearer secret", prometheus.Queries[^1].Authorization);
    }
}
