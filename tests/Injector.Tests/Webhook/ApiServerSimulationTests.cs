using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Tests.Support;
using Injector.Tests.Support;

namespace Injector.Tests.Webhook;

/// <summary>
/// Acts as kube-apiserver: POSTs each golden AdmissionReview over HTTPS trusting only the generated CA, applies the
/// returned JSON Patch with an independent RFC 6902 implementation, checks the pod, then re-invokes with the
/// patched pod (reinvocationPolicy: IfNeeded) and expects no change.
/// </summary>
public sealed class ApiServerSimulationTests : IClassFixture<WebhookFixture>
{
    private readonly WebhookFixture _webhook;

    public ApiServerSimulationTests(WebhookFixture webhook)
    {
        _webhook = webhook;
    }

    public static TheoryData<string> Scenarios => new(GoldenScenario.Names());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Golden_review_over_https_then_reinvocation_changes_nothing(string name)
    {
        var scenario = GoldenScenario.Load(name);

        var response = await PostAsync(scenario.Review);

        Assert.Equal(scenario.Uid, response["uid"]!.GetValue<string>());
        JsonObject? patched = null;
        if (response["patch"] is { } patch)
        {
            patched = Rfc6902.Apply(scenario.RequestObject, Encoding.UTF8.GetString(Convert.FromBase64String(patch.GetValue<string>())));
            var again = await PostAsync(scenario.ReviewWith(patched));
            Assert.True(again["allowed"]!.GetValue<bool>());
            Assert.Null(again["patch"]);
        }

        scenario.Verify(response, patched);
    }

    [Fact]
    public async Task Http2_is_served_too()
    {
        var scenario = GoldenScenario.Load("appup-plain-pod");
        using var request = new HttpRequestMessage(HttpMethod.Post, _webhook.Host.MutateUri)
        {
            Content = new StringContent(scenario.Review.ToJsonString(), Encoding.UTF8, "application/json"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await _webhook.Client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_client_that_trusts_another_CA_is_refused()
    {
        var otherCa = Path.Combine(Directory.CreateTempSubdirectory("other-ca-").FullName, "x");
        var files = Injector.Tls.SelfSignedCertificates.Create(otherCa);
        using var stranger = TrustOnlyCaHandler.Create(files.CaCertFile);

        await Assert.ThrowsAsync<HttpRequestException>(() => stranger.PostAsync(_webhook.Host.MutateUri, new StringContent("{}", Encoding.UTF8, "application/json")));
    }

    private async Task<JsonObject> PostAsync(JsonObject review)
    {
        using var content = new StringContent(review.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _webhook.Client.PostAsync(_webhook.Host.MutateUri, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("admission.k8s.io/v1", body["apiVersion"]!.GetValue<string>());
        return body["response"]!.AsObject();
    }
}
