using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Injector.Tests.Support;

namespace Injector.Tests.Webhook;

/// <summary>Transport-level problems get HTTP 400 with a message saying what was wrong and what is expected.</summary>
public sealed class BadRequestTests : IClassFixture<WebhookFixture>
{
    private readonly WebhookFixture _webhook;

    public BadRequestTests(WebhookFixture webhook)
    {
        _webhook = webhook;
    }

    [Theory]
    [InlineData("{not json", "application/json", "request body is not valid JSON")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""", "application/json", "AdmissionReview has no request object")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u"}}""", "application/json", "expected admission.k8s.io/v1")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"kind":{"kind":"Pod"}}}""", "application/json", "request has no uid")]
    [InlineData("[1,2]", "application/json", "must be a JSON object")]
    [InlineData("", "application/json", "request body is empty")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u"}}""", "text/plain", "content type 'text/plain; charset=utf-8' is not supported; send the AdmissionReview as application/json")]
    public async Task Unusable_requests_get_400_with_a_clear_message(string body, string contentType, string expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await _webhook.Client.PostAsync(_webhook.Host.MutateUri, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_over_the_cap_gets_400_whether_or_not_the_length_is_announced()
    {
        var big = "{\"pad\":\"" + new string('x', 70 * 1024) + "\"}";

        using var announced = await _webhook.Client.PostAsync(_webhook.Host.MutateUri, new StringContent(big, Encoding.UTF8, "application/json"));
        using var streamed = await _webhook.Client.PostAsync(_webhook.Host.MutateUri, new ChunkedContent(big));

        Assert.Equal(HttpStatusCode.BadRequest, announced.StatusCode);
        Assert.Contains("65536-byte limit", await announced.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, streamed.StatusCode);
        Assert.Contains("65536-byte limit", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_is_not_served_on_the_plain_health_port_and_health_not_on_https()
    {
        using var plain = new HttpClient();
        using var onHealthPort = await plain.PostAsync(new Uri(_webhook.Host.HealthUri, "/mutate"), new StringContent("{}", Encoding.UTF8, "application/json"));
        using var healthOnHttps = await _webhook.Client.GetAsync(new Uri(_webhook.Host.MutateUri, "/healthz"));
        using var get = await _webhook.Client.GetAsync(_webhook.Host.MutateUri);

        Assert.Equal(HttpStatusCode.NotFound, onHealthPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, healthOnHttps.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Theory]
    [InlineData("/mutate")]
    [InlineData("/MUTATE")]
    [InlineData("/mutate/")]
    public async Task Mutate_answers_the_review_on_every_path_spelling_routing_accepts(string path)
    {
        // POST /mutate goes straight to the endpoint ahead of routing; the other spellings still reach it through routing.
        var review = Injector.Core.Tests.Support.GoldenScenario.Load("appup-plain-pod").Review;
        using var response = await _webhook.Client.PostAsync(new Uri(_webhook.Host.MutateUri, path), new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(review["request"]!["uid"]!.GetValue<string>(), answer["response"]!["uid"]!.GetValue<string>());
        Assert.NotNull(answer["response"]!["patch"]);
    }

    [Fact]
    public async Task Health_readiness_and_metrics_report_what_happened()
    {
        using var plain = new HttpClient();
        var review = Injector.Core.Tests.Support.GoldenScenario.Load("unknown-sidecar-name").Review.ToJsonString();
        using var denied = await _webhook.Client.PostAsync(_webhook.Host.MutateUri, new StringContent(review, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);

        Assert.Equal("ok\n", await plain.GetStringAsync(new Uri(_webhook.Host.HealthUri, "/healthz")));
        Assert.Equal("ready\n", await plain.GetStringAsync(new Uri(_webhook.Host.HealthUri, "/readyz")));
        var metrics = await plain.GetStringAsync(new Uri(_webhook.Host.HealthUri, "/metrics"));
        Assert.True(PrometheusText.Sum(metrics, "injector_denials_total", "reason=\"invalid-annotation\"") >= 1, metrics);
        Assert.True(PrometheusText.Sum(metrics, "injector_admission_requests_total", "result=\"denied\"") >= 1, metrics);
        Assert.True(PrometheusText.Sum(metrics, "injector_admission_duration_seconds_count") >= 1, metrics);
        Assert.Contains($"revision=\"{_webhook.Host.Config.Current.Revision}\"", metrics, StringComparison.Ordinal);
        Assert.True(PrometheusText.Sum(metrics, "injector_tls_certificate_expiry_seconds") > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.True(PrometheusText.Sum(metrics, "process_cpu_time_seconds_total") > 0, "process metrics");
        Assert.True(PrometheusText.Sum(metrics, "dotnet_gc_heap_total_allocated_bytes_total") > 0, "runtime metrics");
    }

    /// <summary>Content without a Content-Length, sent chunked, so only the server's own counting can stop it.</summary>
    private sealed class ChunkedContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return false;
        }
    }
}
