using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>A mutating webhook as the API server sees it: a name, a policy, its match rule and its answer.</summary>
public interface IMutatingWebhook
{
    string Name { get; }

    ReinvocationPolicy Policy { get; }

    /// <summary>rules + matchConditions: whether the API server calls the webhook for this pod at all.</summary>
    bool Matches(JsonObject pod);

    /// <summary>Answers one AdmissionReview (the request object is what the API server encoded).</summary>
    WebhookResponse Answer(JsonObject review);
}
