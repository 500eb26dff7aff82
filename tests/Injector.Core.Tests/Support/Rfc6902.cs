using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Injector.Core.Tests.Support;

/// <summary>
/// Applies a JSON Patch with an independent RFC 6902 implementation (Microsoft.AspNetCore.JsonPatch over
/// Newtonsoft's JObject), the way kube-apiserver applies the webhook's patch to the object it sent.
/// </summary>
public static class Rfc6902
{
    public static JsonObject Apply(JsonObject document, string patchJson)
    {
        var patch = JsonConvert.DeserializeObject<JsonPatchDocument>(patchJson)
                    ?? throw new InvalidOperationException("empty patch");
        var target = JObject.Parse(document.ToJsonString());
        patch.ApplyTo(target);
        return JsonNode.Parse(target.ToString(Formatting.None))!.AsObject();
    }
}
