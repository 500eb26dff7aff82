using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Reconciling;

namespace Canary.Traffic;

/// <summary>
/// Gateway API's shape (gateway.networking.k8s.io/v1), without I/O: an HTTPRoute <c>&lt;app&gt;</c> with one rule
/// whose backendRefs send <c>100 - w</c> to Service <c>&lt;app&gt;-primary</c> and <c>w</c> to <c>&lt;app&gt;-canary</c>.
/// The controller manages only <c>parentRefs</c>, <c>hostnames</c> (when given) and the weights of its own rule;
/// other rules, matches, filters and what the API server defaulted are left alone. (A backendRef without a weight
/// weighs 1, per the Gateway API spec, so weights are always written.)
/// </summary>
public static class GatewayApiRoutes
{
    public const string Group = "gateway.networking.k8s.io";
    public const string Version = "v1";

    public static JsonArray ParentRefs(DesiredObjects d) => new([.. d.Spec.ParentRefs.Select(p =>
    {
        var o = new JsonObject();
        if (p.Group is not null)
        {
            o["group"] = p.Group;
        }

        if (p.Kind is not null)
        {
            o["kind"] = p.Kind;
        }

        if (p.Namespace is not null)
        {
            o["namespace"] = p.Namespace;
        }

        o["name"] = p.Name;
        if (p.SectionName is not null)
        {
            o["sectionName"] = p.SectionName;
        }

        if (p.Port is not null)
        {
            o["port"] = p.Port;
        }

        return (JsonNode)o;
    })]);

    public static JsonObject Rule(DesiredObjects d, int canaryWeight) => new()
    {
        ["backendRefs"] = new JsonArray(Backend(d, DeploymentRole.Primary, 100 - canaryWeight), Backend(d, DeploymentRole.Canary, canaryWeight)),
    };

    private static JsonObject Backend(DesiredObjects d, DeploymentRole role, int weight) => new()
    {
        ["group"] = "",
        ["kind"] = "Service",
        ["name"] = DesiredObjects.ServiceName(d.Name, role),
        ["port"] = d.Spec.ServicePort,
        ["weight"] = weight,
    };

    public static JsonObject HttpRoute(DesiredObjects d, int canaryWeight)
    {
        var spec = new JsonObject { ["parentRefs"] = ParentRefs(d) };
        if (d.Spec.Hosts.Count > 0)
        {
            spec["hostnames"] = Strings(d.Spec.Hosts);
        }

        spec["rules"] = new JsonArray(Rule(d, canaryWeight));
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "HTTPRoute",
            ["metadata"] = IstioRoutes.Metadata(d),
            ["spec"] = spec,
        };
    }

    /// <summary>Index of our rule and of its primary and canary backendRefs, or null.</summary>
    public static (int Rule, int Primary, int Canary)? FindRule(JsonObject route, string app)
    {
        if (route["spec"]?["rules"] is not JsonArray rules)
        {
            return null;
        }

        var primary = DesiredObjects.ServiceName(app, DeploymentRole.Primary);
        var canary = DesiredObjects.ServiceName(app, DeploymentRole.Canary);
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i]?["backendRefs"] is not JsonArray refs || refs.Count != 2)
            {
                continue;
            }

            int p = -1, c = -1;
            for (var j = 0; j < refs.Count; j++)
            {
                var kind = IstioRoutes.Str(refs[j]?["kind"]) ?? "Service";
                var group = IstioRoutes.Str(refs[j]?["group"]) ?? "";
                if (kind != "Service" || group != "")
                {
                    continue;
                }

                var name = IstioRoutes.Str(refs[j]?["name"]);
                if (name == primary)
                {
                    p = j;
                }
                else if (name == canary)
                {
                    c = j;
                }
            }

            if (p >= 0 && c >= 0)
            {
                return (i, p, c);
            }
        }

        return null;
    }

    public static RouteObservation? Observe(DesiredObjects d, JsonObject? route)
    {
        if (route is null)
        {
            return null;
        }

        var found = FindRule(route, d.Name);
        var weight = 0;
        var inSync = found is not null;
        if (found is { } f)
        {
            var refs = route["spec"]!["rules"]![f.Rule]!["backendRefs"]!;
            var canary = IstioRoutes.Int(refs[f.Canary]?["weight"]) ?? 1;
            var primary = IstioRoutes.Int(refs[f.Primary]?["weight"]) ?? 1;
            weight = canary;
            inSync &= canary + primary == 100;
        }

        inSync &= SameParents(route["spec"]?["parentRefs"], ParentRefs(d));
        if (d.Spec.Hosts.Count > 0)
        {
            inSync &= IstioRoutes.SameStrings(route["spec"]?["hostnames"], Strings(d.Spec.Hosts));
        }

        return new RouteObservation(Math.Clamp(weight, 0, 100), inSync);
    }

    public static JsonPatchBuilder WeightPatch(DesiredObjects d, JsonObject route, int canaryWeight)
    {
        var patch = new JsonPatchBuilder();
        if (!SameParents(route["spec"]?["parentRefs"], ParentRefs(d)))
        {
            patch.Add("/spec/parentRefs", ParentRefs(d));
        }

        if (d.Spec.Hosts.Count > 0 && !IstioRoutes.SameStrings(route["spec"]?["hostnames"], Strings(d.Spec.Hosts)))
        {
            patch.Add("/spec/hostnames", Strings(d.Spec.Hosts));
        }

        if (FindRule(route, d.Name) is { } f)
        {
            var refs = $"/spec/rules/{f.Rule}/backendRefs";
            patch.Test($"{refs}/{f.Primary}/name", DesiredObjects.ServiceName(d.Name, DeploymentRole.Primary))
                .Add($"{refs}/{f.Primary}/weight", 100 - canaryWeight)
                .Test($"{refs}/{f.Canary}/name", DesiredObjects.ServiceName(d.Name, DeploymentRole.Canary))
                .Add($"{refs}/{f.Canary}/weight", canaryWeight);
        }
        else if (route["spec"]?["rules"] is JsonArray)
        {
            patch.Add("/spec/rules/-", Rule(d, canaryWeight));
        }
        else
        {
            patch.Add("/spec/rules", new JsonArray(Rule(d, canaryWeight)));
        }

        return patch;
    }

    /// <summary>parentRefs equal once the API server's defaults (group gateway.networking.k8s.io, kind Gateway) are applied.</summary>
    private static bool SameParents(JsonNode? actual, JsonArray expected)
    {
        static string Key(JsonNode? p) => string.Join('|',
            IstioRoutes.Str(p?["group"]) ?? Group, IstioRoutes.Str(p?["kind"]) ?? "Gateway", IstioRoutes.Str(p?["namespace"]) ?? "",
            IstioRoutes.Str(p?["name"]) ?? "", IstioRoutes.Str(p?["sectionName"]) ?? "", IstioRoutes.Int(p?["port"])?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return actual is JsonArray a && a.Select(Key).SequenceEqual(expected.Select(Key));
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);
}
