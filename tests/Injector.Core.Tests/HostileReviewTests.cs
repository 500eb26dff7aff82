using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;

namespace Injector.Core.Tests;

/// <summary>
/// Any bytes get HTTP 400 with a message or a 200 review echoing the uid; never an exception (which the host turns
/// into an uncounted 500 with an empty body).
/// </summary>
public sealed class HostileReviewTests
{
    private readonly AdmissionReviewHandler _handler = new(new InjectionEngine());

    private static string Review(string pod) =>
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-1\"," +
        "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"namespace\":\"ns\",\"object\":" + pod + "}}";

    private static string PodWith(string annotations, string containers = """[{"name":"app","image":"nginx","command":["/app"]}]""") =>
        "{\"metadata\":{\"name\":\"p\",\"annotations\":" + annotations + "},\"spec\":{\"containers\":" + containers + "}}";

    private AdmissionOutcome Handle(byte[] body)
    {
        var outcome = _handler.Handle(body, InjectorConfig.Default);
        Assert.True(outcome.StatusCode is 200 or 400, $"HTTP {outcome.StatusCode}");
        var json = JsonNode.Parse(outcome.Body)!.AsObject();
        if (outcome.StatusCode == 200)
        {
            Assert.Equal("u-1", json["response"]!["uid"]!.GetValue<string>());
            Assert.NotEqual("internal-error", outcome.Result!.Reason);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(json["error"]!.GetValue<string>()));
        }

        return outcome;
    }

    public static TheoryData<string, string> Reviews()
    {
        var deep = new StringBuilder();
        for (int i = 0; i < 120; i++)
        {
            deep.Append("{\"a\":");
        }

        deep.Append('1').Append('}', 120);
        var deepStatus = new string('[', 5000) + new string(']', 5000);
        return new TheoryData<string, string>
        {
            { "duplicate keys in the status JSON", PodWith("""{"sidecars.dev/inject":"appup","sidecars.dev/status":"{\"containers\":[],\"containers\":[\"appup\"]}"}""") },
            { "duplicate keys in the status targets", PodWith("""{"sidecars.dev/inject":"appup","sidecars.dev/status":"{\"targets\":{\"app\":{\"set\":{\"readinessProbe\":null,\"readinessProbe\":{}}},\"app\":{}}}"}""") },
            { "a container without a name", PodWith("""{"sidecars.dev/inject":"appup,proa"}""", """[{"image":"nginx","command":["/app"]}]""") },
            { "a second container without a name", PodWith("""{"sidecars.dev/inject":"appup"}""", """[{"name":"app","image":"nginx"},{"image":"x"}]""") },
            { "a container name that is a number", PodWith("""{"sidecars.dev/inject":"appup"}""", """[{"name":7,"image":"nginx"}]""") },
            { "containers that are not objects", PodWith("""{"sidecars.dev/inject":"appup"}""", """[1,"two",null]""") },
            { "containers that are not a list", PodWith("""{"sidecars.dev/inject":"appup"}""", """{"app":{}}""") },
            { "annotations that are not strings", PodWith("""{"sidecars.dev/inject":["appup"],"sidecars.dev/status":{"a":1}}""") },
            { "deep nesting in a container", PodWith("""{"sidecars.dev/inject":"appup"}""", "[{\"name\":\"app\",\"image\":\"x\",\"x\":" + deep + "}]") },
            { "deep nesting in the status", PodWith("{\"sidecars.dev/inject\":\"appup\",\"sidecars.dev/status\":\"" + deepStatus + "\"}") },
            { "a status that is not JSON", PodWith("""{"sidecars.dev/inject":"appup","sidecars.dev/status":"{not json"}""") },
            { "a status with wrong types", PodWith("""{"sidecars.dev/inject":"appup","sidecars.dev/status":"{\"containers\":7,\"targets\":[1],\"sidecars\":{\"x\":1},\"revision\":5}"}""") },
            { "a status with an escaped lone surrogate", PodWith("""{"sidecars.dev/inject":"appup","sidecars.dev/status":"{\"containers\":[\"\\ud800\"]}"}""") },
            { "a lone surrogate in an annotation", PodWith("""{"sidecars.dev/inject":"appup","appup.sidecars.dev/initial":"\ud800"}""") },
            { "a lone surrogate in a container name", PodWith("""{"sidecars.dev/inject":"appup,proa"}""", """[{"name":"a\udc00","image":"x","command":["x"]}]""") },
            { "duplicate keys in the pod", PodWith("""{"sidecars.dev/inject":"appup"}""", """[{"name":"app","name":"b","image":"x"}]""") },
            { "a proa command annotation with control characters", PodWith("""{"sidecars.dev/inject":"proa","proa.sidecars.dev/command":"[\"/bin/sh\",\"-c\",\"echo a\\nb\\u0000\"]"}""", """[{"name":"app","image":"x"}]""") },
            { "a 300 KiB status", PodWith("{\"sidecars.dev/inject\":\"appup\",\"sidecars.dev/status\":\"{\\\"revision\\\":\\\"" + new string('r', 300 * 1024) + "\\\"}\"}") },
        };
    }

    [Theory]
    [MemberData(nameof(Reviews))]
    public void Hostile_pod_gets_a_review_with_its_uid_or_a_400(string what, string pod)
    {
        var outcome = Handle(Encoding.UTF8.GetBytes(Review(pod)));

        Assert.True(outcome.StatusCode == 200 || outcome.Error is not null, what);
    }

    [Fact]
    public void Invalid_utf8_in_an_annotation_gets_400()
    {
        var before = Encoding.UTF8.GetBytes(Review(PodWith("""{"sidecars.dev/inject":"appup","x":"AB"}""")));
        var index = Encoding.UTF8.GetString(before).IndexOf("AB", StringComparison.Ordinal);
        before[index] = 0xFF;
        before[index + 1] = 0xFE;

        var outcome = Handle(before);

        Assert.Equal(400, outcome.StatusCode);
        Assert.Contains("UTF-8", outcome.Error, StringComparison.Ordinal);
    }
}
