using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// plugin/pkg/admission/defaulttolerationseconds/admission.go: unless the pod already tolerates them (same key or
/// an empty key, with effect NoExecute or empty), adds NoExecute tolerations of 300 s for not-ready and unreachable.
/// </summary>
public sealed class DefaultTolerationSecondsPlugin : IInTreePlugin
{
    private static readonly string[] Taints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

    public void Admit(JsonObject pod, string ns)
    {
        var spec = PodDefaults.Obj(pod, "spec");
        var tolerations = PodDefaults.Items(spec, "tolerations").ToList();
        foreach (var taint in Taints)
        {
            var tolerated = tolerations.Any(t =>
                (PodDefaults.Text(t["key"]) is null or "" || PodDefaults.Text(t["key"]) == taint) &&
                (PodDefaults.Text(t["effect"]) is null or "" or "NoExecute"));
            if (tolerated)
            {
                continue;
            }

            if (spec["tolerations"] is not JsonArray list)
            {
                list = [];
                spec["tolerations"] = list;
            }

            list.Add(new JsonObject { ["key"] = taint, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
        }
    }
}
