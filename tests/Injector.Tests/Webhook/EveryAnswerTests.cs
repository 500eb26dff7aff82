using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Tests.Support;
using Injector.Tests.Support;

namespace Injector.Tests.Webhook;

/// <summary>
/// Hostile but well-framed requests: each gets a review echoing its uid (HTTP 200) or a 400 with a JSON error, never
/// a 500 or an empty body, and each answer is counted in <c>injector_admission_requests_total</c>.
/// </summary>
public sealed class EveryAnswerTests : IClassFixture<WebhookFixture>
{
    private readonly WebhookFixture _webhook;

    public EveryAnswerTests(WebhookFixture webhook)
    {
        _webhook = webhook;
    }

    public static TheoryData<string> HostileReviews => new(
        "container-without-name",
        "duplicate-key-in-status",
        "lone-surrogate-in-annotation",
        "invalid-utf8-in-annotation",
        "status-is-not-an-object");

    [Theory]
    [MemberData(nameof(HostileReviews))]
    public async Task Every_hostile_review_gets_a_review_with_its_uid_or_a_400_and_is_counted(string name)
    {
        var before = PrometheusText.Sum(await PrometheusText.ScrapeAsync(_webhook.Host.HealthUri), "injector_admission_requests_total");
        var (bytes, uid) = Build(name);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _webhook.Client.PostAsync(_webhook.Host.MutateUri, content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"HTTP {(int)response.StatusCode}: '{body}'");
        var json = JsonNode.Parse(body)!;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(uid, json["response"]!["uid"]!.GetValue<string>());
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(json["error"]!.GetValue<string>()));
        }

        await Eventually.TrueAsync(
            async () => PrometheusText.Sum(await PrometheusText.ScrapeAsync(_webhook.Host.HealthUri), "injector_admission_requests_total") == before + 1,
            "the answer to be counted once");
    }

    private static (byte[] Body, string Uid) Build(string name)
    {
        var scenario = GoldenScenario.Load("appup-plain-pod");
        var review = scenario.Review.DeepClone().AsObject();
        var pod = review["request"]!["object"]!.AsObject();
        var annotations = pod["metadata"]!["annotations"]!.AsObject();
        const string Marker = "\u0001MARKER\u0001";
        switch (name)
        {
            case "container-without-name":
                pod["spec"]!["containers"]![0]!.AsObject().Remove("name");
                break;
            case "duplicate-key-in-status":
                annotations["sidecars.dev/status"] = """{"containers":["appup"],"containers":["app"]}""";
                break;
            case "status-is-not-an-object":
                annotations["sidecars.dev/status"] = "[1,2,3]";
                break;
            default:
                annotations["appup.sidecars.dev/port"] = Marker;
                break;
        }

        var text = review.ToJsonString();
        var marker = System.Text.Json.JsonSerializer.Serialize(Marker)[1..^1];
        byte[] bytes = name switch
        {
            "lone-surrogate-in-annotation" => Encoding.UTF8.GetBytes(text.Replace(marker, "\\ud800", StringComparison.Ordinal)),
            "invalid-utf8-in-annotation" => Splice(text, marker, [0xC3, 0x28, 0xFF]),
            _ => Encoding.UTF8.GetBytes(text),
        };
        return (bytes, scenario.Uid);
    }

    private static byte[] Splice(string text, string marker, byte[] raw)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. raw, .. Encoding.UTF8.GetBytes(text[(at + marker.Length)..])];
    }
}
