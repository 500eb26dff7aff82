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

/// <summary>
/// A Prometheus (or a token Secret) answering what no healthy one would: runaway bodies, huge labels and strings,
/// tokens a header cannot carry. Every case is a verdict with a short sentence, never an exception, and what ends
/// up in the status and Events stays small.
/// </summary>
public sealed class HostilePrometheusTests
{
    private static EffectiveSpec Spec(Uri url, bool range = false) => EffectiveSpec.From(new CanaryAppSpec
    {
        Image = "x",
        PrometheusUrl = url.ToString().TrimEnd('/'),
        PrometheusQuery = "q",
        ThresholdRange = range ? new ThresholdRange { Max = 0.05 } : null,
    });

    [Fact]
    public async Task A_runaway_answer_without_a_length_is_cut_at_the_limit_and_is_an_error()
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        prom.Default = PrometheusResponse.Huge(300L * 1024 * 1024);
        using var http = new HttpClient();

        var result = await new PrometheusClient(http, TimeProvider.System).QueryAsync(Spec(prom.Url), null, CancellationToken.None);

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Contains("more than 4 MiB", result.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool> HugeAnswers => new()
    {
        { "string", true },
        { "string", false },
        { "label", false },
        { "label", true },
        { "many labels", false },
    };

    [Theory]
    [MemberData(nameof(HugeAnswers))]
    public async Task Huge_strings_and_labels_give_a_short_message_and_value(string answer, bool range)
    {
        await using var prom = await PrometheusStandIn.StartAsync();
        var big = new string('x', 1024 * 1024);
        prom.Default = answer switch
        {
            "string" => PrometheusResponse.String(big),
            "label" => PrometheusResponse.Vector(PrometheusSample.Of(1, ("pod", big)), PrometheusSample.Of(2, ("pod", "b"))),
            _ => PrometheusResponse.Vector(PrometheusSample.Of(1, [.. Enumerable.Range(0, 5000).Select(i => ($"label_{i}", new string('v', 100)))])),
        };
        using var http = new HttpClient();

        var result = await new PrometheusClient(http, TimeProvider.System).QueryAsync(Spec(prom.Url, range), null, CancellationToken.None);

        Assert.NotEqual(Verdict.Pass, result.Verdict);
        Assert.InRange(result.Message.Length, 10, AnalysisResult.MaxMessageLength);
        Assert.InRange(result.Value?.Length ?? 0, 0, AnalysisResult.MaxValueLength);
    }

    public static TheoryData<string> BadTokens => new()
    {
        "s3cret\nX-Injected: yes",
        "s3cret\r\n",
        "tök\u00e9n",
        "to\u0000ken",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_a_header_cannot_carry_is_an_error_naming_the_secret(string token)
    {
        await using var c = await CanaryCluster.StartAsync();
        var app = CanaryCluster.App("web", "x", s =>
        {
            s.PrometheusUrl = c.Prometheus.Url.ToString().TrimEnd('/');
            s.PrometheusTokenSecretRef = new SecretKeyReference { Name = "prom-token" };
        });
        app.Metadata.NamespaceProperty = CanaryCluster.Ns;
        await c.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = "prom-token" },
            Data = new Dictionary<string, byte[]> { ["token"] = System.Text.Encoding.UTF8.GetBytes(token) },
        }, CanaryCluster.Ns);
        using var http = new HttpClient();
        var runner = new PrometheusAnalysisRunner(c.Client, new PrometheusClient(http, new FakeTimeProvider()));

        var result = await runner.RunAsync(app, EffectiveSpec.From(app.Spec), CancellationToken.None);

        if (token == "s3cret\r\n")
        {
            Assert.Equal(Verdict.Pass, result.Verdict); // a trailing newline is what `kubectl create secret --from-file` leaves
            Assert.Equal("Bearer s3cret", Assert.Single(c.Prometheus.Queries).Authorization);
            return;
        }

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Contains("Secret prom-token", result.Message, StringComparison.Ordinal);
        Assert.Empty(c.Prometheus.Queries);
    }

    [Fact]
    public async Task A_secret_without_the_key_names_the_key()
    {
        await using var c = await CanaryCluster.StartAsync();
        var app = CanaryCluster.App("web", "x", s =>
        {
            s.PrometheusUrl = c.Prometheus.Url.ToString().TrimEnd('/');
            s.PrometheusTokenSecretRef = new SecretKeyReference { Name = "prom-token", Key = "bearer" };
        });
        app.Metadata.NamespaceProperty = CanaryCluster.Ns;
        await c.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "prom-token" }, Data = new Dictionary<string, byte[]> { ["token"] = "x"u8.ToArray() } }, CanaryCluster.Ns);
        using var http = new HttpClient();
        var runner = new PrometheusAnalysisRunner(c.Client, new PrometheusClient(http, new FakeTimeProvider()));

        var result = await runner.RunAsync(app, EffectiveSpec.From(app.Spec), CancellationToken.None);

        Assert.Equal(Verdict.Error, result.Verdict);
        Assert.Equal("Secret prom-token has no key \"bearer\" for the Prometheus token", result.Message);
    }
}
