using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// Our webhook as the chart registers it (reinvocationPolicy IfNeeded by default, the chart's matchConditions),
/// answered by the real <see cref="AdmissionReviewHandler"/> from the bytes of the review.
/// </summary>
public sealed class InjectorWebhook : IMutatingWebhook
{
    public const string WebhookName = "inject.sidecars.dev";

    private static readonly string[] OptInKeys =
        ["sidecars.dev/inject", "shawarma.centeredge.io/service-name", "shawarma.centeredge.io/service-labels", "sidecars.dev/status"];

    private readonly AdmissionReviewHandler _handler = new(new InjectionEngine());
    private readonly IReadOnlyList<InjectorConfig> _configs;
    private int _calls;

    public InjectorWebhook(InjectorConfig? config = null, ReinvocationPolicy policy = ReinvocationPolicy.IfNeeded)
        : this([config ?? InjectorConfig.Default], policy)
    {
    }

    /// <summary>Answers the n-th call with the n-th config (the last one after that): replicas mid-rollout.</summary>
    public InjectorWebhook(IReadOnlyList<InjectorConfig> configs, ReinvocationPolicy policy = ReinvocationPolicy.IfNeeded)
    {
        _configs = configs;
        Policy = policy;
    }

    public string Name => WebhookName;

    public ReinvocationPolicy Policy { get; }

    /// <summary>The chart's matchConditions (charts/injector/templates/mutatingwebhookconfiguration.yaml).</summary>
    public bool Matches(JsonObject pod) =>
        pod["metadata"]?["annotations"] is JsonObject annotations && OptInKeys.Any(annotations.ContainsKey);

    public WebhookResponse Answer(JsonObject review)
    {
        var config = _configs[Math.Min(_calls++, _configs.Count - 1)];
        var outcome = _handler.Handle(Encoding.UTF8.GetBytes(review.ToJsonString()), config);
        Assert.True(outcome.StatusCode == 200, $"the injector answered a well-formed review with HTTP {outcome.StatusCode}: {Encoding.UTF8.GetString(outcome.Body)}");
        return Parse(JsonNode.Parse(outcome.Body)!.AsObject());
    }

    public static WebhookResponse Parse(JsonObject reviewResponse)
    {
        var response = reviewResponse["response"]!.AsObject();
        var patch = response["patch"] is { } p ? Encoding.UTF8.GetString(Convert.FromBase64String(p.GetValue<string>())) : null;
        var warnings = response["warnings"] is JsonArray w ? w.Select(x => x!.GetValue<string>()).ToList() : [];
        return new WebhookResponse(
            response["uid"]!.GetValue<string>(),
            response["allowed"]!.GetValue<bool>(),
            patch,
            response["status"]?["message"]?.GetValue<string>(),
            warnings);
    }
}
