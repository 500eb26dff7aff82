using System.Text.Json.Nodes;
using TestKit.Kube;
using TestKit.Kube.Patching;

namespace TestKit.Tests.Kube.Patching;

/// <summary>The patch engines against the RFC examples and strategic-merge-patch semantics.</summary>
public sealed class PatchTests
{
    private static void Same(string expected, JsonNode? actual) =>
        Assert.True(KubeJson.SemanticEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Merge_patch_follows_rfc_7386(string target, string patch, string expected) =>
        Same(expected, MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch)));

    [Fact]
    public void Json_patch_follows_rfc_6902_examples()
    {
        Same("""{"baz":"qux","foo":"bar","child":{"grandchild":{}}}""",
            JsonPatch.Apply(JsonNode.Parse("""{"foo":"bar"}""")!, """[{"op":"add","path":"/baz","value":"qux"},{"op":"add","path":"/child","value":{"grandchild":{}}}]"""));
        Same("""{"foo":["bar","qux","baz"]}""", JsonPatch.Apply(JsonNode.Parse("""{"foo":["bar","baz"]}""")!, """[{"op":"add","path":"/foo/1","value":"qux"}]"""));
        Same("""{"foo":["bar","baz"]}""", JsonPatch.Apply(JsonNode.Parse("""{"foo":["bar","qux","baz"]}""")!, """[{"op":"remove","path":"/foo/1"}]"""));
        Same("""{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""",
            JsonPatch.Apply(JsonNode.Parse("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""")!, """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"""));
        Same("""{"a/b":1,"m~n":2}""", JsonPatch.Apply(JsonNode.Parse("""{"a/b":0,"m~n":0}""")!, """[{"op":"replace","path":"/a~1b","value":1},{"op":"replace","path":"/m~0n","value":2}]"""));
        Same("""{"a":[1,2,1]}""", JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}""")!, """[{"op":"copy","from":"/a/0","path":"/a/-"}]"""));
        Same("""{"baz":"qux","foo":["a",2,"c"]}""",
            JsonPatch.Apply(JsonNode.Parse("""{"baz":"qux","foo":["a",2,"c"]}""")!, """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"""));
        Assert.Throws<PatchApplyException>(() => JsonPatch.Apply(JsonNode.Parse("""{"baz":"qux"}""")!, """[{"op":"test","path":"/baz","value":"bar"}]"""));
        Assert.Throws<PatchApplyException>(() => JsonPatch.Apply(JsonNode.Parse("""{"foo":"bar"}""")!, """[{"op":"add","path":"/baz/bat","value":"qux"}]"""));
        Assert.Throws<PatchApplyException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":[1]}""")!, """[{"op":"add","path":"/a/5","value":2}]"""));
        Assert.Throws<PatchFormatException>(() => JsonPatch.Apply(JsonNode.Parse("""{}""")!, """{"op":"add"}"""));
    }

    [Fact]
    public void A_failed_operation_leaves_the_document_untouched()
    {
        var document = JsonNode.Parse("""{"a":1}""")!;
        Assert.Throws<PatchApplyException>(() => JsonPatch.Apply(document, """[{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/missing"}]"""));
        Same("""{"a":1}""", document);
    }

    [Fact]
    public void Strategic_merge_merges_containers_env_mounts_and_ports_by_their_keys()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"finalizers":["a"]},"spec":{"containers":[
              {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
               "volumeMounts":[{"name":"data","mountPath":"/data"}],"ports":[{"containerPort":80,"name":"http"}]}],
             "volumes":[{"name":"data","emptyDir":{}}],"tolerations":[{"key":"x"}]}}
            """)!.AsObject();
        var patch = JsonNode.Parse("""
            {"metadata":{"finalizers":["b","a"]},"spec":{"containers":[
              {"name":"app","env":[{"name":"B","value":"3"},{"name":"A","$patch":"delete"}],
               "volumeMounts":[{"name":"cache","mountPath":"/cache"}],"ports":[{"containerPort":80,"protocol":"TCP"}]}],
             "volumes":[{"name":"data","$patch":"delete"}],"tolerations":[{"key":"y"}]}}
            """)!.AsObject();

        var result = StrategicMergePatch.Apply(pod, patch, "Pod");

        Same("""
            {"metadata":{"finalizers":["a","b"]},"spec":{"containers":[
              {"name":"app","image":"app:1","env":[{"name":"B","value":"3"}],
               "volumeMounts":[{"name":"data","mountPath":"/data"},{"name":"cache","mountPath":"/cache"}],
               "ports":[{"containerPort":80,"name":"http","protocol":"TCP"}]}],
             "volumes":[],"tolerations":[{"key":"y"}]}}
            """, result);
    }

    [Fact]
    public void Strategic_merge_directives_replace_delete_retain_keys_delete_from_primitive_list_and_set_element_order()
    {
        var original = JsonNode.Parse("""
            {"metadata":{"finalizers":["a","b","c"],"labels":{"x":"1","y":"2"}},
             "spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},
                     "template":{"spec":{"containers":[{"name":"a","image":"a"},{"name":"b","image":"b"}]}}}}
            """)!.AsObject();
        var patch = JsonNode.Parse("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"labels":{"$patch":"replace","z":"3"}},
             "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null},
                     "template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"a2"}]}}}}
            """)!.AsObject();

        var result = StrategicMergePatch.Apply(original, patch, "Deployment");

        Same("""
            {"metadata":{"finalizers":["a","c"],"labels":{"z":"3"}},
             "spec":{"strategy":{"type":"Recreate"},
                     "template":{"spec":{"containers":[{"name":"b","image":"b"},{"name":"a","image":"a2"}]}}}}
            """, result);
    }

    [Fact]
    public void Service_ports_merge_by_port_and_a_missing_merge_key_is_an_error()
    {
        var service = JsonNode.Parse("""{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}""")!.AsObject();
        var result = StrategicMergePatch.Apply(service, JsonNode.Parse("""{"spec":{"ports":[{"port":80,"targetPort":9090}]}}""")!.AsObject(), "Service");
        Same("""{"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}]}}""", result);

        Assert.Throws<PatchApplyException>(() => StrategicMergePatch.Apply(service, JsonNode.Parse("""{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}""")!.AsObject(), "Deployment"));
    }
}
