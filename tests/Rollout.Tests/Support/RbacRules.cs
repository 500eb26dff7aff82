using System.Text.Json.Nodes;
using TestKit.Kube.Server;

namespace Rollout.Tests.Support;

/// <summary>
/// Kubernetes RBAC over the chart's rendered Roles and ClusterRoles, for the stand-in's Authorize hook: a request is
/// allowed when a rule matches its API group, resource, verb and (for namespaced Roles) namespace, and, when the
/// rule names resources, its name - for list and watch, the metadata.name field selector, as the RBAC authorizer
/// reads it. Every decision is recorded, so a test can show what was refused.
/// </summary>
public sealed class RbacRules
{
    private readonly List<(string? Namespace, JsonObject Rule)> _rules = [];

    public RbacRules(IEnumerable<JsonObject> objects)
    {
        foreach (var role in objects.Where(o => (string?)o["kind"] is "Role" or "ClusterRole"))
        {
            var ns = (string?)role["kind"] == "Role" ? (string?)role["metadata"]!["namespace"] : null;
            foreach (var rule in role["rules"]!.AsArray().OfType<JsonObject>())
            {
                _rules.Add((ns, rule));
            }
        }
    }

    public List<string> Denied { get; } = [];

    public bool Allows(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resource = request.Resource!.Plural + (request.Subresource is { } sub ? "/" + sub : "");
        var name = request.Name ?? (request.Verb is "list" or "watch" && request.Query["fieldSelector"] is { } fields && fields.StartsWith("metadata.name=", StringComparison.Ordinal)
            ? fields["metadata.name=".Length..]
            : null);
        var allowed = _rules.Any(r =>
            (r.Namespace is null || r.Namespace == request.Namespace) &&
            Has(r.Rule["apiGroups"], request.Resource.Group) &&
            Has(r.Rule["resources"], resource) &&
            Has(r.Rule["verbs"], request.Verb) &&
            (r.Rule["resourceNames"] is not JsonArray names || (name is not null && names.Any(n => (string?)n == name))));
        if (!allowed)
        {
            lock (Denied)
            {
                Denied.Add($"{request.Verb} {resource} {request.Namespace}/{name}");
            }
        }

        return allowed;
    }

    private static bool Has(JsonNode? list, string value) => list is JsonArray array && array.Any(v => (string?)v == value || (string?)v == "*");
}
