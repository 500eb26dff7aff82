using System.Text.Json.Nodes;
using Injector.Core.Patching;

namespace Injector.Core.Tests.ApiServer;

/// <summary>Stand-in webhooks edit a copy of the pod and answer with the RFC 6902 diff, like most webhooks do.</summary>
public static class JsonPatchBuilder
{
    public static WebhookResponse Respond(JsonObject review, Func<JsonObject, JsonObject?> mutate)
    {
        var request = review["request"]!.AsObject();
        var uid = request["uid"]!.GetValue<string>();
        var pod = request["object"]!.AsObject();
        var edited = mutate(pod.DeepClone().AsObject());
        if (edited is null)
        {
            return new WebhookResponse(uid, true, null, null, []);
        }

        var ops = JsonPatchDiff.Create(pod, edited);
        return new WebhookResponse(uid, true, ops.Count == 0 ? null : JsonPatchSerializer.ToJson(ops), null, []);
    }
}
