using System.Net;
using System.Text.Json;
using TestKit.Prometheus;

namespace TestKit.Tests.Prometheus;

public sealed class PrometheusStandInTests
{
    [Fact]
    public async Task Answers_get_and_post_form_queries_and_records_them()
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        prom.Answer = q => q.Query == "up" ? PrometheusAnswer.Values("1") : PrometheusAnswer.BadData("unknown");
        using var http = new HttpClient();

        var get = await http.GetStringAsync(new Uri(prom.Url, "/api/v1/query?query=up&time=1"));
        using var doc = JsonDocument.Parse(get);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("1", doc.RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(prom.Url, "/api/v1/query"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["query"] = "nope" }),
        };
        request.Headers.Authorization = new("Bearer", "t0k3n");
        using var post = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("\"errorType\":\"bad_data\"", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal([("GET", "up", (string?)null), ("POST", "nope", "Bearer t0k3n")], prom.Queries.Select(q => (q.Method, q.Query, q.Authorization)));
    }

    [Fact]
    public async Task A_missing_query_is_prometheus_own_bad_data()
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(prom.Url, "/api/v1/query"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
