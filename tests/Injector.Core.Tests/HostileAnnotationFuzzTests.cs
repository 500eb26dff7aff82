using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.ApiServer;
using Injector.Core.Tests.Support;
using Sidecars.Contract;

namespace Injector.Core.Tests;

/// <summary>
/// The status annotation and annotation values as a hostile pod author writes them, through the handler's bytes:
/// every review gets a 200 with its uid or a 400 (never an exception), nothing the injector did not add is removed
/// or changed, and the work done stays linear in the size of the review (steps counted, not time).
/// </summary>
public sealed class HostileAnnotationFuzzTests
{
    /// <summary>Steps per byte of review the engine may take; measured well below it (see the linear test).</summary>
    private const double StepsPerByte = 1.0;

    private static readonly string[] Fragments =
    [
        "", " ", "\t", "\n", "\r\n", ",", "=", "/", ":", "[", "]", "\"", "'", "\\", "\u0000", "\u007f", "é", "😀", "\u2028",
        "appup", "AppUp", "shawarma", "proa", "false", "none", "true", "native", "Classic", "up", "DOWN", "web", "app=web",
        "http://localhost/x", "080", "9999", "8099", "65536", "-1", "c0", "c1", "missing", "[\"/bin/x\"]", "{\"a\":1}",
    ];

    private static readonly string[] Keys =
    [
        .. AnnotationKeys.PodKeys.Where(k => k != AnnotationKeys.Status),
        "appup.sidecars.dev/prot", "sidecars.dev/injct", "Sidecars.dev/inject", "apup.sidecars.dev/port", "shawarma.centeredge.io/x",
    ];

    private static readonly Gen<string> Value = Gen.Int[0, Fragments.Length - 1].Array[0, 5].Select(parts => string.Concat(parts.Select(i => Fragments[i])));

    private static readonly Gen<string> StatusText = Gen.OneOf(
        PodGenerators.ForgedStatus,
        PodGenerators.ForgedStatus.SelectMany(s => Gen.Int[0, s.Length].Select(n => s[..n])),
        PodGenerators.ForgedStatus.Select(s => "{\"containers\":[\"appup\",\"istio-proxy\"],\"targets\":{\"c0\":{}}," + s[1..]),
        Gen.Int[1, 300].Select(n => new string('[', n) + new string(']', n)),
        Value);

    private static readonly Gen<(JsonObject Pod, (int Key, string Value)[] Annotations, string? Status, int Mutation)> Sample =
        from pod in PodGenerators.Pod
        from annotations in Gen.Select(Gen.Int[0, Keys.Length - 1], Value).Array[0, 6]
        from status in Gen.Frequency((1, Gen.Const((string?)null)), (4, StatusText.Select(s => (string?)s)))
        from mutation in Gen.Int[0, 9]
        select (pod, annotations, status, mutation);

    private readonly AdmissionReviewHandler _handler = new(new InjectionEngine());

    [Fact]
    public void Any_status_and_annotation_values_get_an_answer_keep_user_data_and_take_linear_work()
    {
        int answered = 0, patched = 0, badRequests = 0;
        Sample.Sample(sample =>
        {
            var (pod, fuzzed, status, mutation) = sample;
            var annotations = pod["metadata"]!["annotations"]!.AsObject();
            foreach (var (key, value) in fuzzed)
            {
                annotations[Keys[key]] = value;
            }

            annotations.Remove(AnnotationKeys.Status);
            if (status is not null)
            {
                annotations[AnnotationKeys.Status] = status;
            }

            var json = AdmissionChain.Review("u-fuzz", "ns", pod).ToJsonString();
            if (mutation == 0)
            {
                // What no API server sends: an escaped lone surrogate inside an annotation value.
                json = json.Replace("\"kept\"", "\"ke\\ud800pt\"", StringComparison.Ordinal);
            }

            var bytes = Encoding.UTF8.GetBytes(json);
            var outcome = _handler.Handle(bytes, InjectorConfig.Default);
            var body = JsonNode.Parse(outcome.Body)!.AsObject();
            if (outcome.StatusCode == 400)
            {
                Interlocked.Increment(ref badRequests);
                Assert.False(string.IsNullOrWhiteSpace(body["error"]?.GetValue<string>()));
                return;
            }

            Assert.Equal(200, outcome.StatusCode);
            Interlocked.Increment(ref answered);
            var response = InjectorWebhook.Parse(body);
            Assert.Equal("u-fuzz", response.Uid);
            Assert.NotEqual(SkipReasons.InternalError, outcome.Result!.Reason);
            Assert.True(outcome.Result.Work <= StepsPerByte * bytes.Length + 1000, $"{outcome.Result.Work} steps for a {bytes.Length}-byte review");
            if (response.PatchJson is null)
            {
                return;
            }

            Interlocked.Increment(ref patched);
            var result = Rfc6902.Apply(pod, response.PatchJson);
            UserData.AssertKept(pod, result, ProaTarget(pod, result), wrapped: null);
            Assert.Empty(PodValidation.Validate(result));
        }, iter: 1500, seed: Environment.GetEnvironmentVariable("CSCHECK_SEED"));

        Assert.True(patched > 100, $"only {patched} of {answered} reviews were patched");
        Assert.True(badRequests > 20, $"only {badRequests} reviews were refused as unreadable");
    }

    /// <summary>The container proa wrapped in this pass (its command line is rewritten by design).</summary>
    private static string? ProaTarget(JsonObject before, JsonObject after) =>
        after["spec"]!["containers"]!.AsArray().OfType<JsonObject>()
            .Where(c => c["command"] is JsonArray { Count: 1 } cmd && cmd[0]!.GetValue<string>() == ProaContract.BinaryPath)
            .Select(c => c["name"]!.GetValue<string>())
            .FirstOrDefault(name => before["spec"]!["containers"]!.AsArray().OfType<JsonObject>().Any(c => c["name"]!.GetValue<string>() == name));

    [Fact]
    public void Work_grows_linearly_with_the_status_and_the_pod()
    {
        var engine = new InjectionEngine();
        var points = new List<(int Targets, int Bytes, long Work)>();
        foreach (var targets in new[] { 100, 200, 400, 800, 1600 })
        {
            var pod = WorstCase(targets);
            var status = pod["metadata"]!["annotations"]![AnnotationKeys.Status]!.GetValue<string>();
            Assert.True(status.Length < InjectionStatus.MaxLength, "the status must be read, not refused for its size");
            var bytes = Encoding.UTF8.GetByteCount(pod.ToJsonString());
            var result = engine.Inject(pod, InjectorConfig.Default);
            Assert.Equal(InjectionDecision.Injected, result.Decision);
            points.Add((targets, bytes, result.Work));
        }

        var perByte = points.Select(p => (double)p.Work / p.Bytes).ToList();
        var report = string.Join("; ", points.Select(p => $"{p.Targets} targets: {p.Work} steps / {p.Bytes} bytes"));
        Assert.True(perByte.Max() <= StepsPerByte, "more steps than bytes: " + report);
        Assert.True(perByte.Max() <= 1.25 * perByte.Min(), "steps per byte grow with the input: " + report);
    }

    /// <summary>
    /// The shape that took the old engine quadratic time: a status naming every container of a large pod as a target,
    /// with env, mounts and fields to restore for each.
    /// </summary>
    internal static JsonObject WorstCase(int targets)
    {
        var containers = new JsonArray();
        var records = new JsonObject();
        for (int i = 0; i < targets; i++)
        {
            var name = "c" + i;
            containers.Add(new JsonObject
            {
                ["name"] = name,
                ["image"] = "registry.example.com/app:1",
                ["env"] = new JsonArray(new JsonObject { ["name"] = "POD_NAME", ["value"] = "mine" }),
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/data" }),
            });
            records[name] = new JsonObject
            {
                ["set"] = new JsonObject { ["readinessProbe"] = null, ["securityContext"] = null },
                ["env"] = new JsonArray("POD_NAME", "HOME"),
                ["volumeMounts"] = new JsonArray("data", AppUpContract.VolumeName),
            };
        }

        var status = new JsonObject { ["revision"] = "x", ["containers"] = new JsonArray("istio-proxy"), ["targets"] = records }.ToJsonString();
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [AnnotationKeys.Inject] = "appup", [AnnotationKeys.Status] = status } },
            ["spec"] = new JsonObject { ["containers"] = containers, ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() }) },
        };
    }
}
