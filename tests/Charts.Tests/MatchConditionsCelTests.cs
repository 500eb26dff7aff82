using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using CsCheck;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.Support;
using k8s.Models;
using Sidecars.Contract;

namespace Charts.Tests;

/// <summary>
/// The chart's matchConditions and the engine's opt-in rule select the same pods: the CEL of the rendered
/// MutatingWebhookConfiguration is evaluated (with the Cel package, not compared as text) against
/// <see cref="InjectionEngine.IsInScope"/> and the engine's own decision, over the golden pods and random pods
/// whose opt-in annotations (inject, legacy shawarma keys, status) are each present or not.
/// </summary>
public sealed class MatchConditionsCelTests
{
    private static readonly Lazy<IReadOnlyList<CelProgramDelegate>> Conditions = new(() =>
    {
        var hook = Assert.Single(HelmChart.Render().One<V1MutatingWebhookConfiguration>().Webhooks);
        var environment = new CelEnvironment([], string.Empty);
        return hook.MatchConditions.Select(c => environment.Compile(c.Expression)).ToList();
    });

    private static readonly string[] OptInKeys =
        [AnnotationKeys.Inject, AnnotationKeys.LegacyShawarmaServiceName, AnnotationKeys.LegacyShawarmaServiceLabels, AnnotationKeys.Status];

    public static TheoryData<string> GoldenPods() =>
        new(Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Golden")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(GoldenPods))]
    public void Golden_pods_are_sent_to_the_webhook_exactly_when_the_engine_has_work(string scenario)
    {
        var review = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", scenario, "review.json")))!;
        if (review["request"]?["object"] is JsonObject pod && review["request"]?["kind"]?["kind"]?.GetValue<string>() == "Pod")
        {
            AssertAgree(pod);
        }
    }

    [Fact]
    public void Random_pods_are_sent_to_the_webhook_exactly_when_the_engine_has_work()
    {
        int inScope = 0, outOfScope = 0;
        var gen = Gen.Select(PodGenerators.Pod, Gen.Int[0, 15], Gen.Bool);
        gen.Sample((pod, keep, emptyAnnotations) =>
        {
            var annotations = pod["metadata"]!["annotations"]!.AsObject();
            annotations[AnnotationKeys.LegacyShawarmaServiceName] = "web";
            annotations[AnnotationKeys.Status] ??= "{}";
            for (int i = 0; i < OptInKeys.Length; i++)
            {
                if ((keep & (1 << i)) == 0)
                {
                    annotations.Remove(OptInKeys[i]);
                }
            }

            if (emptyAnnotations && annotations.Count == 1)
            {
                pod["metadata"]!.AsObject().Remove("annotations");
            }

            if (AssertAgree(pod))
            {
                Interlocked.Increment(ref inScope);
            }
            else
            {
                Interlocked.Increment(ref outOfScope);
            }
        }, iter: 300, seed: Environment.GetEnvironmentVariable("CSCHECK_SEED"));

        Assert.True(inScope > 50 && outOfScope > 5, $"{inScope} pods in scope, {outOfScope} out: both sides must be exercised");
    }

    [Fact]
    public void A_pod_with_only_our_status_is_sent_so_dropping_the_opt_in_removes_the_sidecars()
    {
        var pod = JsonNode.Parse("""{"metadata":{"annotations":{"sidecars.dev/status":"{}"}},"spec":{"containers":[{"name":"app","image":"x"}]}}""")!.AsObject();

        Assert.True(AssertAgree(pod));
    }

    /// <summary>Asserts that the chart's conditions, the engine's rule and its decision agree; returns the verdict.</summary>
    private static bool AssertAgree(JsonObject pod)
    {
        var variables = new Dictionary<string, object?> { ["object"] = ToCel(pod) };
        var matched = Conditions.Value.All(condition => condition.Invoke(variables!) is true);
        var inScope = InjectionEngine.IsInScope(pod);
        Assert.True(matched == inScope, $"matchConditions {(matched ? "send" : "skip")} a pod the engine {(inScope ? "has work for" : "skips")}: {pod["metadata"]?.ToJsonString()}");

        var result = new InjectionEngine().Inject(pod, InjectorConfig.Default);
        Assert.Equal(!inScope, result.Reason == SkipReasons.NotOptedIn);
        return matched;
    }

    /// <summary>
    /// The object as the API server hands it to CEL: maps, lists and scalars. Empty maps are dropped as the typed
    /// object's omitempty fields would be (metadata.annotations: {} is absent there).
    /// </summary>
    private static object? ToCel(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Where(kv => kv.Value is not JsonObject { Count: 0 })
            .ToDictionary(kv => kv.Key, kv => ToCel(kv.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(ToCel).ToArray(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => long.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var l)
                ? l
                : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };
}
