using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Patching;
using Injector.Core.Tests.ApiServer;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests;

/// <summary>
/// The webhook reads a review in one pass and leaves what the engine does not read as unread bytes (managedFields,
/// status, containers it does not edit). That reading must be invisible: over random pods, first passes and
/// reinvocations, the handler's answer is exactly the engine's answer on the whole pod.
/// </summary>
public sealed class SparseReadingTests
{
    private static readonly InjectionEngine Engine = new();
    private static readonly AdmissionReviewHandler Handler = new(Engine);

    [Fact]
    public void Handler_answers_exactly_as_the_engine_on_the_whole_pod()
    {
        int compared = 0, reinvoked = 0;
        PodGenerators.Pod.Sample(pod =>
        {
            WithUnreadParts(pod);
            var first = Compare(pod);
            Interlocked.Increment(ref compared);
            if (first.Decision == InjectionDecision.Injected && first.Patch.Count > 0)
            {
                // A reinvocation: the status names the sidecars, so the engine opens and converges them.
                var patched = Rfc6902.Apply(pod, JsonPatchSerializer.ToJson(first.Patch));
                patched["metadata"]!["annotations"]!.AsObject()["appup.sidecars.dev/port"] = "8100";
                Compare(patched);
                Interlocked.Increment(ref reinvoked);
            }
        }, iter: 400, seed: Environment.GetEnvironmentVariable("CSCHECK_SEED"));

        Assert.True(reinvoked > 50, $"only {reinvoked} of {compared} pods were injected");
    }

    [Fact]
    public void Unread_parts_come_back_verbatim_when_a_list_is_rewritten()
    {
        // Removing a classic sidecar from between two user containers shifts the list: the diff then has to write
        // unread containers back, byte for byte as they came.
        var pod = EnginePods.Pod("""{"sidecars.dev/inject":"appup","sidecars.dev/mode":"classic"}""",
            """[{"name":"app","image":"nginx","env":[{"name":"A","value":"\u00e9 \"q\""}]}]""");
        var injected = EnginePods.Pass(pod);
        var containers = injected["spec"]!["containers"]!.AsArray();
        containers.Add(JsonNode.Parse("""{"name":"late","image":"busybox","env":[{"name":"N","value":1.50}],"x":{"deep":[1,2,{"k":null}]}}"""));
        injected["metadata"]!["annotations"]!.AsObject()["sidecars.dev/inject"] = "false";
        WithUnreadParts(injected);

        var result = Compare(injected);

        Assert.NotEmpty(result.Patch);
        var after = Rfc6902.Apply(injected, JsonPatchSerializer.ToJson(result.Patch));
        Assert.True(JsonNode.DeepEquals(injected["spec"]!["containers"]![2], after["spec"]!["containers"]![1]));
    }

    [Fact]
    public void Duplicate_keys_are_refused_where_the_engine_reads_and_left_alone_in_unread_depths()
    {
        const string Containers = """[{"name":"app","image":"nginx","ports":[{"containerPort":80}]}]""";
        var inContainer = Review(Containers.Replace("\"image\":\"nginx\"", "\"image\":\"nginx\",\"image\":\"x\"", StringComparison.Ordinal));
        var inPort = Review(Containers.Replace("\"containerPort\":80", "\"containerPort\":80,\"containerPort\":81", StringComparison.Ordinal));
        var inEnvelope = Review(Containers).Replace("\"uid\":\"u-1\"", "\"uid\":\"u-1\",\"uid\":\"u-2\"", StringComparison.Ordinal);
        var deepInManagedFields = Review(Containers, "\"managedFields\":[{\"fieldsV1\":{\"f:a\":{},\"f:a\":{}}}],");

        Assert.Equal((400, "u-1"), Answer(inContainer));
        Assert.Equal((400, "u-1"), Answer(inPort));
        Assert.Equal((400, (string?)null), Answer(inEnvelope));
        Assert.Equal((200, "u-1"), Answer(deepInManagedFields));
    }

    private static (int Status, string? Uid) Answer(string review)
    {
        var outcome = Handler.Handle(Encoding.UTF8.GetBytes(review), InjectorConfig.Default);
        return (outcome.StatusCode, outcome.Uid);
    }

    private static string Review(string containers, string metadataExtra = "") =>
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}," +
        "\"operation\":\"CREATE\",\"namespace\":\"ns\",\"object\":{\"metadata\":{" + metadataExtra + "\"name\":\"p\",\"annotations\":{\"sidecars.dev/inject\":\"appup\"}}," +
        "\"spec\":{\"containers\":" + containers + "}}}}";

    /// <summary>What real pods carry and the engine never reads.</summary>
    private static void WithUnreadParts(JsonObject pod)
    {
        var metadata = pod["metadata"]!.AsObject();
        metadata["uid"] = "0b1e4f2c-6f4c-4a52-9d0e-3a3c8d5f1b11";
        metadata["managedFields"] = JsonNode.Parse("""[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{}}}}}}]""");
        pod["status"] = JsonNode.Parse("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}],"qosClass":"BestEffort"}""");
    }

    /// <summary>The handler's answer to a review of <paramref name="pod"/>, checked against the engine on the whole pod.</summary>
    private static InjectionResult Compare(JsonObject pod)
    {
        var expected = Engine.Inject(pod.DeepClone().AsObject(), InjectorConfig.Default);
        var outcome = Handler.Handle(Encoding.UTF8.GetBytes(AdmissionChain.Review("u-1", "ns", pod).ToJsonString()), InjectorConfig.Default);
        Assert.Equal(200, outcome.StatusCode);
        var actual = outcome.Result!;
        Assert.Equal((expected.Decision, expected.Reason, expected.Message), (actual.Decision, actual.Reason, actual.Message));
        Assert.Equal(expected.Warnings, actual.Warnings);
        var response = JsonNode.Parse(outcome.Body)!["response"]!;
        var patch = response["patch"] is { } base64 ? Encoding.UTF8.GetString(Convert.FromBase64String(base64.GetValue<string>())) : "[]";
        Assert.Equal(JsonPatchSerializer.ToJson(expected.Patch), patch);
        return expected;
    }
}
