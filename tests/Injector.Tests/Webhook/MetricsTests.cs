using System.Text;
using Injector.Core.Tests.Support;
using Injector.Tests.Support;

namespace Injector.Tests.Webhook;

/// <summary>/metrics as Prometheus scrapes it: the injector's series, process and runtime metrics, one host's counts.</summary>
public sealed class MetricsTests : IClassFixture<WebhookFixture>
{
    private readonly WebhookFixture _webhook;

    public MetricsTests(WebhookFixture webhook)
    {
        _webhook = webhook;
    }

    [Fact]
    public async Task Every_result_series_exists_from_the_start_so_the_first_event_shows_in_rate()
    {
        var metrics = await PrometheusText.ScrapeAsync(_webhook.Host.HealthUri);

        foreach (var result in new[] { "injected", "unchanged", "skipped", "denied", "bad_request", "error", "aborted" })
        {
            Assert.Contains($"result=\"{result}\"", metrics, StringComparison.Ordinal);
        }

        Assert.Contains("# TYPE injector_admission_requests_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE injector_config_reloads_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE injector_tls_reloads_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE injector_tls_certificate_expiry_seconds gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("service_name=\"injector\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_count_only_their_own_requests()
    {
        var other = new WebhookFixture();
        await other.InitializeAsync();
        try
        {
            var before = await CountAsync(_webhook);
            var review = GoldenScenario.Load("appup-plain-pod").Review.ToJsonString();

            using var response = await other.Client.PostAsync(other.Host.MutateUri, new StringContent(review, Encoding.UTF8, "application/json"));

            response.EnsureSuccessStatusCode();
            Assert.Equal(1, await CountAsync(other));
            Assert.Equal(before, await CountAsync(_webhook));
            var histogram = await PrometheusText.ScrapeAsync(other.Host.HealthUri);
            Assert.Contains("# TYPE injector_admission_duration_seconds histogram", histogram, StringComparison.Ordinal);
            Assert.Contains("injector_admission_duration_seconds_bucket{otel_scope_name=\"Injector\",le=\"0.0005\"}", histogram, StringComparison.Ordinal);
            Assert.Equal(1, PrometheusText.Sum(histogram, "injector_admission_duration_seconds_bucket", "le=\"+Inf\""));
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task Scrapes_are_plain_http_only()
    {
        using var onHttps = await _webhook.Client.GetAsync(new Uri(_webhook.Host.MutateUri, "/metrics"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, onHttps.StatusCode);
    }

    private static async Task<double> CountAsync(WebhookFixture webhook) =>
        PrometheusText.Sum(await PrometheusText.ScrapeAsync(webhook.Host.HealthUri), "injector_admission_requests_total");
}
