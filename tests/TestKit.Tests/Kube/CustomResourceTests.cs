using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TestKit.Kube;

namespace TestKit.Tests.Kube;

/// <summary>Custom resources registered at run time, through KubernetesClient's CustomObjects API.</summary>
public sealed class CustomResourceTests
{
    private static JsonObject VirtualService(string name, int canaryWeight) => new()
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "VirtualService",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["hosts"] = new JsonArray("web"),
            ["http"] = new JsonArray(new JsonObject
            {
                ["route"] = new JsonArray(
                    new JsonObject { ["destination"] = new JsonObject { ["host"] = "web", ["subset"] = "primary" }, ["weight"] = 100 - canaryWeight },
                    new JsonObject { ["destination"] = new JsonObject { ["host"] = "web", ["subset"] = "canary" }, ["weight"] = canaryWeight }),
            }),
        },
    };

    [Fact]
    public async Task A_registered_custom_resource_supports_crud_merge_patch_and_status_but_not_strategic_merge()
    {
        await using var kube = await StandIn.StartAsync();
        kube.Server.AddCustomResource(ResourceTypes.IstioVirtualService);

        var created = (JsonElement)await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(VirtualService("web", 0), "networking.istio.io", "v1", "shop", "virtualservices");
        Assert.Equal(1, created.GetProperty("metadata").GetProperty("generation").GetInt64());

        var patched = (JsonElement)await kube.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "networking.istio.io", "v1", "shop", "virtualservices", "web");
        Assert.Equal(1, patched.GetProperty("metadata").GetProperty("generation").GetInt64()); // metadata only
        var weighted = (JsonElement)await kube.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/http/0/route/1/weight","value":10},{"op":"replace","path":"/spec/http/0/route/0/weight","value":90}]""", V1Patch.PatchType.JsonPatch),
            "networking.istio.io", "v1", "shop", "virtualservices", "web");
        Assert.Equal(2, weighted.GetProperty("metadata").GetProperty("generation").GetInt64());

        var status = (JsonElement)await kube.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"observedGeneration":2}}""", V1Patch.PatchType.MergePatch), "networking.istio.io", "v1", "shop", "virtualservices", "web");
        Assert.Equal(2, status.GetProperty("status").GetProperty("observedGeneration").GetInt64());
        Assert.Equal(2, status.GetProperty("metadata").GetProperty("generation").GetInt64());

        var smp = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{}}""", V1Patch.PatchType.StrategicMergePatch), "networking.istio.io", "v1", "shop", "virtualservices", "web"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, smp.Response.StatusCode);

        var list = (JsonElement)await kube.Client.CustomObjects.ListNamespacedCustomObjectAsync("networking.istio.io", "v1", "shop", "virtualservices");
        var item = list.GetProperty("items")[0];
        Assert.Equal("VirtualService", item.GetProperty("kind").GetString()); // unstructured list items keep their kind
        Assert.Equal("VirtualServiceList", list.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Creating_a_crd_through_the_api_registers_its_resource()
    {
        await using var kube = await StandIn.StartAsync();
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"canaryapps.canary.sidecars.dev"},
             "spec":{"group":"canary.sidecars.dev","scope":"Namespaced","names":{"kind":"CanaryApp","plural":"canaryapps","singular":"canaryapp"},
               "versions":[{"name":"v1alpha1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
            """)!;
        await kube.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));

        await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse("""{"apiVersion":"canary.sidecars.dev/v1alpha1","kind":"CanaryApp","metadata":{"name":"demo"},"spec":{"image":"demo:2"},"status":{"phase":"ignored"}}"""),
            "canary.sidecars.dev", "v1alpha1", "shop", "canaryapps");

        var stored = kube.Server.Store.Get("canary.sidecars.dev/v1alpha1", "CanaryApp", "shop", "demo")!;
        Assert.Equal("demo:2", stored.StringAt("spec.image"));
        Assert.Null(stored["status"]); // status is dropped on create when it is a subresource
    }
}
