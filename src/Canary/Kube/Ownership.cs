using System.Text.Json.Nodes;
using Canary.Api;
using k8s.Models;

namespace Canary.Kube;

/// <summary>
/// Whether an object the controller would manage is controlled by this CanaryApp (its controller ownerReference
/// carries the CanaryApp's uid). Anything else - another CanaryApp whose derived names collide, an object made by
/// hand or by another tool - is never changed: <see cref="CanaryConflictException"/> says whose it is.
/// </summary>
public static class Ownership
{
    public static void EnsureOwned(CanaryApp app, V1ObjectMeta metadata, string kind)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(metadata);
        var controller = metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        Check(app, kind, metadata.Name, controller?.Uid, controller is null ? null : $"{controller.Kind} {controller.Name}");
    }

    public static void EnsureOwned(CanaryApp app, JsonObject obj, string kind)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"];
        var controller = (metadata?["ownerReferences"] as JsonArray)?.FirstOrDefault(o => o?["controller"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
        Check(app, kind, Str(metadata?["name"]), Str(controller?["uid"]), controller is null ? null : $"{Str(controller["kind"])} {Str(controller["name"])}");
    }

    private static void Check(CanaryApp app, string kind, string? name, string? controllerUid, string? controller)
    {
        if (controllerUid is null || controllerUid != app.Metadata.Uid)
        {
            throw new CanaryConflictException($"{kind} {app.Metadata.NamespaceProperty}/{name} exists and is not controlled by this CanaryApp (it has {controller ?? "no controller"}); rename or delete it");
        }
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
