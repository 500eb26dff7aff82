using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Reconciling;

namespace Canary.Traffic;

/// <summary>
/// Istio's shapes (networking.istio.io/v1), without I/O: a VirtualService <c>&lt;app&gt;</c> whose HTTP route sends
/// <c>100 - w</c> to subset <c>primary</c> and <c>w</c> to subset <c>canary</c> of host <c>&lt;app&gt;</c>, and a
/// DestinationRule defining those subsets by the role label. The controller manages only: the VirtualService's
/// <c>hosts</c>, <c>gateways</c> (when given) and the weights of its own route; the DestinationRule's <c>host</c>
/// and its two subsets. Other routes, matches, retries, timeouts, subsets and traffic policies are left as they are.
/// </summary>
public static class IstioRoutes
{
    public const string Group = "networking.istio.io";
    public const string Version = "v1";

    private static readonly string[] Roles = ["primary", "canary"];

    public static JsonArray Hosts(DesiredObjects d) => new([.. (d.Spec.Hosts.Count > 0 ? d.Spec.Hosts : [d.Name]).Select(h => (JsonNode)JsonValue.Create(h)!)]);

    public static JsonObject Route(DesiredObjects d, int canaryWeight) => new()
    {
        ["route"] = new JsonArray(Destination(d, "primary", 100 - canaryWeight), Destination(d, "canary", canaryWeight)),
    };

    private static JsonObject Destination(DesiredObjects d, string subset, int weight) => new()
    {
        ["destination"] = new JsonObject { ["host"] = d.Name, ["subset"] = subset, ["port"] = new JsonObject { ["number"] = d.Spec.ServicePort } },
        ["weight"] = weight,
    };

    public static JsonObject VirtualService(DesiredObjects d, int canaryWeight)
    {
        var spec = new JsonObject { ["hosts"] = Hosts(d) };
        if (d.Spec.Gateways.Count > 0)
        {
            spec["gateways"] = new JsonArray([.. d.Spec.Gateways.Select(g => (JsonNode)JsonValue.Create(g)!)]);
        }

        spec["http"] = new JsonArray(Route(d, canaryWeight));
        return Object(d, "VirtualService", spec);
    }

    public static JsonObject Subset(string role) => new()
    {
        ["name"] = role,
        ["labels"] = new JsonObject { [CanaryAnnotations.RoleLabel] = role },
    };

    public static JsonObject DestinationRule(DesiredObjects d) =>
        Object(d, "DestinationRule", new JsonObject { ["host"] = d.Name, ["subsets"] = new JsonArray(Subset("primary"), Subset("canary")) });

    /// <summary>Index of our route in <c>spec.http</c> and of its primary and canary destinations, or null.</summary>
    public static (int Http, int Primary, int Canary)? FindRoute(JsonObject virtualService, string host)
    {
        if (virtualService["spec"]?["http"] is not JsonArray http)
        {
            return null;
        }

        for (var i = 0; i < http.Count; i++)
        {
            if (http[i]?["route"] is not JsonArray route || route.Count != 2)
            {
                continue;
            }

            int p = -1, c = -1;
            for (var j = 0; j < route.Count; j++)
            {
                var dest = route[j]?["destination"];
                if (Str(dest?["host"]) != host)
                {
                    continue;
                }

                switch (Str(dest?["subset"]))
                {
                    case "primary":
                        p = j;
                        break;
                    case "canary":
                        c = j;
                        break;
                }
            }

            if (p >= 0 && c >= 0)
            {
                return (i, p, c);
            }
        }

        return null;
    }

    public static RouteObservation? Observe(DesiredObjects d, JsonObject? virtualService, JsonObject? destinationRule)
    {
        if (virtualService is null)
        {
            return null;
        }

        var found = FindRoute(virtualService, d.Name);
        var weight = 0;
        var inSync = found is not null && destinationRule is not null;
        if (found is { } f)
        {
            var route = virtualService["spec"]!["http"]![f.Http]!["route"]!;
            weight = Int(route[f.Canary]?["weight"]) ?? 0;
            inSync &= weight + (Int(route[f.Primary]?["weight"]) ?? 0) == 100;
        }

        inSync &= SameStrings(virtualService["spec"]?["hosts"], Hosts(d));
        if (d.Spec.Gateways.Count > 0)
        {
            inSync &= SameStrings(virtualService["spec"]?["gateways"], new JsonArray([.. d.Spec.Gateways.Select(g => (JsonNode)JsonValue.Create(g)!)]));
        }

        if (destinationRule is not null)
        {
            inSync &= Str(destinationRule["spec"]?["host"]) == d.Name && MissingSubsets(destinationRule).Count == 0;
        }

        return new RouteObservation(Math.Clamp(weight, 0, 100), inSync);
    }

    /// <summary>The JSON Patch that sets the weights (and hosts/gateways) of an existing VirtualService.</summary>
    public static JsonPatchBuilder WeightPatch(DesiredObjects d, JsonObject virtualService, int canaryWeight)
    {
        var patch = new JsonPatchBuilder();
        if (!SameStrings(virtualService["spec"]?["hosts"], Hosts(d)))
        {
            patch.Add("/spec/hosts", Hosts(d));
        }

        if (d.Spec.Gateways.Count > 0 && !SameStrings(virtualService["spec"]?["gateways"], new JsonArray([.. d.Spec.Gateways.Select(g => (JsonNode)JsonValue.Create(g)!)])))
        {
            patch.Add("/spec/gateways", new JsonArray([.. d.Spec.Gateways.Select(g => (JsonNode)JsonValue.Create(g)!)]));
        }

        if (FindRoute(virtualService, d.Name) is { } f)
        {
            var route = $"/spec/http/{f.Http}/route";
            patch.Test($"{route}/{f.Primary}/destination/subset", "primary")
                .Add($"{route}/{f.Primary}/weight", 100 - canaryWeight)
                .Test($"{route}/{f.Canary}/destination/subset", "canary")
                .Add($"{route}/{f.Canary}/weight", canaryWeight);
        }
        else if (virtualService["spec"]?["http"] is JsonArray)
        {
            // Our route is gone (edited away): append it, after any routes with matches the user added.
            patch.Add("/spec/http/-", Route(d, canaryWeight));
        }
        else
        {
            patch.Add("/spec/http", new JsonArray(Route(d, canaryWeight)));
        }

        return patch;
    }

    /// <summary>The JSON Patch that restores the DestinationRule's host and adds our subsets if they are missing.</summary>
    public static JsonPatchBuilder DestinationRulePatch(DesiredObjects d, JsonObject destinationRule)
    {
        var patch = new JsonPatchBuilder();
        if (Str(destinationRule["spec"]?["host"]) != d.Name)
        {
            patch.Add("/spec/host", d.Name);
        }

        var missing = MissingSubsets(destinationRule);
        if (missing.Count > 0 && destinationRule["spec"]?["subsets"] is not JsonArray)
        {
            patch.Add("/spec/subsets", new JsonArray([.. missing.Select(m => (JsonNode)Subset(m))]));
        }
        else
        {
            foreach (var m in missing)
            {
                patch.Add("/spec/subsets/-", Subset(m));
            }
        }

        return patch;
    }

    private static List<string> MissingSubsets(JsonObject destinationRule)
    {
        var subsets = destinationRule["spec"]?["subsets"] as JsonArray ?? [];
        return Roles
            .Where(role => !subsets.Any(s => Str(s?["name"]) == role && Str(s?["labels"]?[CanaryAnnotations.RoleLabel]) == role))
            .ToList();
    }

    private static JsonObject Object(DesiredObjects d, string kind, JsonObject spec) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = kind,
        ["metadata"] = Metadata(d),
        ["spec"] = spec,
    };

    internal static JsonObject Metadata(DesiredObjects d) => new()
    {
        ["name"] = d.Name,
        ["namespace"] = d.Namespace,
        ["labels"] = new JsonObject { [CanaryAnnotations.AppLabel] = d.Name, ["app.kubernetes.io/managed-by"] = CanaryAnnotations.Manager },
        ["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = CanaryApp.ApiVersionValue,
            ["kind"] = CanaryApp.KindName,
            ["name"] = d.Name,
            ["uid"] = d.App.Metadata.Uid,
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        }),
    };

    internal static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static int? Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? (int)Math.Clamp(l, int.MinValue, int.MaxValue) :
        n is JsonValue d && d.TryGetValue<double>(out var x) ? (int)x : null;

    internal static bool SameStrings(JsonNode? actual, JsonArray expected) =>
        actual is JsonArray a && a.Count == expected.Count && a.Select(Str).SequenceEqual(expected.Select(Str));
}
