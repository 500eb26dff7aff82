using System.Text.Json.Nodes;

namespace TestKit.Tests.Kube;

/// <summary>Small object builders for the kit's tests.</summary>
internal static class Objects
{
    public static JsonObject ConfigMap(string ns, string name, Dictionary<string, string>? labels = null, string value = "v") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(ns, name, labels),
        ["data"] = new JsonObject { ["key"] = value },
    };

    public static JsonObject Deployment(string ns, string name, string image = "app:1", int replicas = 3) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(ns, name, new() { ["app"] = name }),
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(
                        new JsonObject { ["name"] = "app", ["image"] = image, ["env"] = new JsonArray(new JsonObject { ["name"] = "A", ["value"] = "1" }) },
                        new JsonObject { ["name"] = "sidecar", ["image"] = "sidecar:1" }),
                    ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() }),
                },
            },
        },
    };

    private static JsonObject Metadata(string ns, string name, Dictionary<string, string>? labels)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            var l = new JsonObject();
            foreach (var (k, v) in labels)
            {
                l[k] = v;
            }

            metadata["labels"] = l;
        }

        return metadata;
    }
}
