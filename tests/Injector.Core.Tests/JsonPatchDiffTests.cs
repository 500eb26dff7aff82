using System.Text.Json.Nodes;
using Injector.Core.Patching;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests;

public sealed class JsonPatchDiffTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1}""", "[]")]
    [InlineData("""{"a":1}""", """{"a":2}""", """[{"op":"replace","path":"/a","value":2}]""")]
    [InlineData("""{"a":1}""", """{}""", """[{"op":"remove","path":"/a"}]""")]
    [InlineData("""{}""", """{"a/b":{"c":[1]}}""", """[{"op":"add","path":"/a~1b","value":{"c":[1]}}]""")]
    [InlineData("""{"l":[1,2]}""", """{"l":[1,2,3]}""", """[{"op":"add","path":"/l/2","value":3}]""")]
    [InlineData("""{"l":[1,2,3]}""", """{"l":[1,3]}""", """[{"op":"remove","path":"/l/1"}]""")]
    [InlineData("""{"l":[0,9,1]}""", """{"l":[0,1]}""", """[{"op":"remove","path":"/l/1"}]""")]
    [InlineData("""{"l":[{"n":"a"}]}""", """{"l":[{"n":"a","p":1},{"n":"b"}]}""", """[{"op":"add","path":"/l/0/p","value":1},{"op":"add","path":"/l/1","value":{"n":"b"}}]""")]
    [InlineData("""{"k~":null}""", """{"k~":"v"}""", """[{"op":"replace","path":"/k~0","value":"v"}]""")]
    public void Emits_minimal_operations(string from, string to, string expected)
    {
        var ops = JsonPatchDiff.Create(JsonNode.Parse(from), JsonNode.Parse(to));

        Assert.Equal(expected, JsonPatchSerializer.ToJson(ops));
    }

    [Theory]
    [InlineData("""{"l":[1,2,3,4,5],"o":{"x":1}}""", """{"l":[9,2,8],"o":{"y":[1]}}""")]
    [InlineData("""{"l":[]}""", """{"l":[{"a":1},{"b":2}]}""")]
    [InlineData("""{"l":[{"a":1},{"b":2},{"c":3}]}""", """{"l":[{"c":3}]}""")]
    public void Applying_the_diff_yields_the_target(string from, string to)
    {
        var source = JsonNode.Parse(from)!.AsObject();
        var ops = JsonPatchDiff.Create(source, JsonNode.Parse(to));

        var result = Rfc6902.Apply(source, JsonPatchSerializer.ToJson(ops));

        Assert.Equal(JsonNode.Parse(to)!.ToJsonString(), result.ToJsonString());
    }
}
