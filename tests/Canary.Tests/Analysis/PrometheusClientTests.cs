using Canary.Analysis;
using Canary.Api;
using Canary.Kube;
using Canary.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using TestKit.Prometheus;
using PrometheusResponse = TestKit.Prometheus.PrometheusResponse;

namespace Canary.Tests.Analysis;

/// <summary>The Prometheus client over HTTP against the stand-in Prometheus: every result type, every error.</summary>
public sealed class PrometheusClientTests
{
    private static EffectiveSpec Spec(Uri url, string query = "q", bool range = false) => EffectiveSpec.From(new CanaryAppSpec
    {
        Image = "x",
        PrometheusUrl = url.ToString().TrimEnd('/'),
        PrometheusQuery = query,
        ThresholdRange = range ? new ThresholdRange { Max = 0.05 } : null,
    });

    private static readonly Dictionary<string, PrometheusResponse> Answers = new()
    {
        ["empty vector"] = PrometheusResponse.EmptyVector,
        ["one series"] = PrometheusResponse.Value(0.01),
        ["three series"] = PrometheusResponse.Vector(PrometheusSample.Of(1, ("pod", "a")), PrometheusSample.Of(2, ("pod", "b")), PrometheusSample.Of(3, ("pod", "c"))),
        ["NaN"] = PrometheusResponse.Value(double.NaN),
        ["+Inf"] = PrometheusResponse.Value(double.PositiveInfinity),
        ["scalar"] = PrometheusResponse.Scalar(0.02),
        ["matrix"] = PrometheusResponse.Matrix(new PrometheusSeries(new Dictionary<string, string> { ["job"] = "web" }, [(1_700_000_000, 0.1), (1_700_000_015, 0.2)])),
        ["string"] = PrometheusResponse.String("hello"),
        ["bad_data"] = PrometheusResponse.BadData("1:6: parse error: unexpected right parenthesis ')'"),
        ["execution"] = PrometheusResponse.Execution("found duplicate series for the match group"),
        ["timeout"] = PrometheusResponse.Timeout(),
        ["unavailable"] = PrometheusResponse.Error(503, "unavailable", "TSDB not ready"),
        ["proxy 502"] = PrometheusResponse.Raw(502, "<html><body>502 Bad Gateway</body></html>", "text/html"),
        ["bad json"] = PrometheusResponse.Raw(200, "{\"status\":\"success\",\"data\":", "application/json"),
    };

    public static TheoryData<string, bool, Verdict, string> Cases => new()
    {
        { "empty vector", false, Verdict.Pass, "no series" },
        { "one series", false, Verdict.Fail, "1 series" },
        { "three series", false, Verdict.Fail, "3 series" },
        { "empty vector", true, Verdict.NoData, "no series" },
        { "one series", true, Verdict.Pass, "within" },
        { "three series", true, Verdict.Error, "exactly one value" },
        { "NaN", true, Verdict.NoData, "NaN" },
        { "+Inf", true, Verdict.Fail, "+Inf is outside" },
        { "scalar", true, Verdict.Pass, "0.02 is within" },
        { "scalar", false, Verdict.Error, "scalar" },
        { "matrix", true, Verdict.Error, "range vector" },
        { "matrix", false, Verdict.Fail, "range vector" },
        { "string", true, Verdict.Error, "string" },
        { "bad_data", false, Verdict.Error, "400 Bad Request: Prometheus query error (bad_data)" },
        { "execution", true, Verdict.Error, "422 Unprocessable Entity: Prometheus query error (execution)" },
        { "timeout", true, Verdict.Error, "503 Service Unavailable: Prometheus query error (timeout)" },
        { "unavailable", false, Verdict.Error, "503 Service Unavailable" },
        { "proxy 502", false, Verdict.Error, "502 Bad Gateway: <html>" },
        { "bad json", true, Verdict.Error, "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answer_gives_the_verdict(string answer, bool range, Verdict expected, string messagePart)
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        prom.Default = Answers[answer];
        using var http = new HttpClient();
        var result = await new PrometheusClient(http, TimeProvider.System).QueryAsync(Spec(prom.Url, range: range), null, CancellationToken.None);
        Assert.Equal(expected, result.Verdict);
        Assert.Contains(messagePart, result.Message, StringComparison.Ordinal);
        var q = Assert.Single(prom.Queries);
        Assert.Equal(("GET", "q"), (q.Method, q.Query));
        Assert.Equal("10s", q.Timeout);
    }

    [Fact]
    public async Task A_long_query_is_sent_as_a_post_form()
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        var query = "sum(rate(http_requests_total{code=~\"5..\"}[1m])) " + string.Concat(Enumerable.Repeat("+ vector(0) ", 300));
        using var http = new HttpClient();
        var result = await new PrometheusClient(http, TimeProvider.System).QueryAsync(Spec(prom.Url, query), null, CancellationToken.None);
        Assert.Equal(Verdict.Pass, result.Verdict);
        var q = Assert.Single(prom.Queries);
        Assert.Equal(("POST", query), (q.Method, q.Query));
        Assert.NotNull(q.Time);
    }

    [Fact]
    public async Task A_slow_prometheus_is_an_error_after_the_timeout()
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        prom.Default = PrometheusResponse.Delayed(TimeSpan.FromSeconds(10), PrometheusResponse.EmptyVector);
        using var http = new HttpClient();
        var client = new PrometheusClient(http, TimeProvider.System) { Timeout = TimeSpan.FromMilliseconds(300) };
        var result = await client.QueryAsync(Spec(prom.Url), null, CancellationToken.None);
        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Contains("did not answer within", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_prometheus_is_an_error()
    {
        using var http = new HttpClient();
        var port = TestKit.FreePort.Next();
        var result = await new PrometheusClient(http, TimeProvider.System).QueryAsync(Spec(new Uri($"http://127.0.0.1:{port}")), null, CancellationToken.None);
        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Contains("could not be reached", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bearer_token_comes_from_the_secret_and_a_missing_secret_is_an_error()
    {
        await using var c = await CanaryCluster.StartAsync();
        var app = CanaryCluster.App("web", "x", s =>
        {
            s.PrometheusUrl = c.Prometheus.Url.ToString().TrimEnd('/');
            s.PrometheusTokenSecretRef = new SecretKeyReference { Name = "prom-token" };
        });
        app.Metadata.NamespaceProperty = CanaryCluster.Ns;
        using var http = new HttpClient();
        var runner = new PrometheusAnalysisRunner(c.Client, new PrometheusClient(http, new FakeTimeProvider()));

        var missing = await runner.RunAsync(app, EffectiveSpec.From(app.Spec), CancellationToken.None);
        Assert.Equal(Verdict.Error, missing.Verdict);
        Assert.Contains("Secret prom-token (the Prometheus token) does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Empty(c.Prometheus.Queries);

        await c.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = "prom-token" },
            Data = new Dictionary<string, byte[]> { ["token"] = "s3cret\n"u8.ToArray() },
        }, CanaryCluster.Ns);
        var ok = await runner.RunAsync(app, EffectiveSpec.From(app.Spec), CancellationToken.None);
        Assert.Equal(Verdict.Pass, ok.Verdict);
        Assert.Equal("Bearer s3cret", Assert.Single(c.Prometheus.Queries).Authorization);
    }
}
