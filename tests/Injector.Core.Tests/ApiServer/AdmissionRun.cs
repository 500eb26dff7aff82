using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>The outcome of one pod CREATE through the chain: the stored pod (or the denial) and every call made.</summary>
public sealed class AdmissionRun
{
    public List<WebhookCall> Calls { get; } = [];

    public JsonObject? Pod { get; set; }

    /// <summary>Set when a webhook denied the pod (its status message).</summary>
    public string? Denied { get; set; }

    /// <summary>Validation errors the API server would answer with (422) for the final pod.</summary>
    public IReadOnlyList<string> ValidationErrors { get; set; } = [];

    public bool Reinvoked => Calls.Any(c => c.Round == 1);

    public IEnumerable<string> Warnings => Calls.SelectMany(c => c.Response.Warnings);

    public IEnumerable<WebhookCall> CallsTo(string webhook) => Calls.Where(c => c.Webhook == webhook);
}
