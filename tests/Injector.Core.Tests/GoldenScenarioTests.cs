using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests;

/// <summary>Every golden folder through the pure handler: response, patched pod, and a no-op second pass.</summary>
public sealed class GoldenScenarioTests
{
    private readonly AdmissionReviewHandler _handler = new(new InjectionEngine());

    public static TheoryData<string> Scenarios => new(GoldenScenario.Names());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_matches_golden_and_reinvocation_is_a_no_op(string name)
    {
        var scenario = GoldenScenario.Load(name);
        var response = Handle(scenario.Review);
        Assert.Equal(scenario.Uid, response["uid"]!.GetValue<string>());

        JsonObject? patched = null;
        if (response["patch"] is { } patch)
        {
            Assert.Equal("JSONPatch", response["patchType"]!.GetValue<string>());
            var patchJson = Encoding.UTF8.GetString(Convert.FromBase64String(patch.GetValue<string>()));
            patched = Rfc6902.Apply(scenario.RequestObject, patchJson);

            var second = Handle(scenario.ReviewWith(patched));
            Assert.True(second["allowed"]!.GetValue<bool>());
            Assert.Null(second["patch"]);
        }

        scenario.Verify(response, patched);
    }

    private JsonObject Handle(JsonObject review)
    {
        var outcome = _handler.Handle(Encoding.UTF8.GetBytes(review.ToJsonString()), InjectorConfig.Default);
        Assert.Equal(200, outcome.StatusCode);
        var body = JsonNode.Parse(outcome.Body)!.AsObject();
        Assert.Equal("admission.k8s.io/v1", body["apiVersion"]!.GetValue<string>());
        Assert.Equal("AdmissionReview", body["kind"]!.GetValue<string>());
        return body["response"]!.AsObject();
    }

    [Theory]
    [InlineData(null, "true", false)]
    [InlineData("1", null, true)]
    [InlineData("1", "false", true)]
    [InlineData("0", "true", false)]
    public void Update_golden_is_honoured_only_outside_ci(string? update, string? ci, bool rewrites)
    {
        Assert.Equal(rewrites, GoldenScenario.UpdateRequested(update, ci));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    public void Update_golden_under_ci_fails_instead_of_rewriting(string ci)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => GoldenScenario.UpdateRequested("1", ci));
        Assert.Contains("refused under CI=true", ex.Message, StringComparison.Ordinal);
    }
}
