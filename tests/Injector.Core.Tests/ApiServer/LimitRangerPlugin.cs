using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// plugin/pkg/admission/limitranger/admission.go for one LimitRange of type Container: every container and init
/// container that lacks a request or limit for a resource gets the LimitRange's defaultRequest / default, and the
/// pod is annotated with what was set (<c>kubernetes.io/limit-ranger</c>).
/// </summary>
public sealed class LimitRangerPlugin : IInTreePlugin
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    private readonly IReadOnlyDictionary<string, string> _defaultLimits;
    private readonly IReadOnlyDictionary<string, string> _defaultRequests;

    public LimitRangerPlugin(IReadOnlyDictionary<string, string> defaultLimits, IReadOnlyDictionary<string, string> defaultRequests)
    {
        _defaultLimits = defaultLimits;
        _defaultRequests = defaultRequests;
    }

    public void Admit(JsonObject pod, string ns)
    {
        var set = new List<string>();
        var spec = PodDefaults.Obj(pod, "spec");
        foreach (var key in new[] { "initContainers", "containers" })
        {
            foreach (var container in PodDefaults.Items(spec, key))
            {
                var resources = PodDefaults.Obj(container, "resources");
                var name = PodDefaults.Text(container["name"]);
                Merge(resources, "requests", _defaultRequests, name, "request", set);
                Merge(resources, "limits", _defaultLimits, name, "limit", set);
            }
        }

        if (set.Count > 0)
        {
            PodDefaults.Obj(PodDefaults.Obj(pod, "metadata"), "annotations")[Annotation] = "LimitRanger plugin set: " + string.Join("; ", set);
        }
    }

    private static void Merge(JsonObject resources, string key, IReadOnlyDictionary<string, string> defaults, string? container, string what, List<string> set)
    {
        foreach (var (resource, quantity) in defaults)
        {
            var list = resources[key] as JsonObject;
            if (list?.ContainsKey(resource) == true)
            {
                continue;
            }

            list ??= PodDefaults.Obj(resources, key);
            list[resource] = quantity;
            set.Add($"{resource} {what} for container {container}");
        }
    }
}
