using System.Text.Json.Nodes;

namespace Injector.Core.Tests.Support;

public sealed class Rfc6902Tests
{
    [Fact]
    public void Applies_escaped_paths_and_array_inserts()
    {
        var doc = JsonNode.Parse("""{"metadata":{"annotations":{"a":"1"}},"spec":{"containers":[{"name":"x"}]}}""")!.AsObject();
        var result = Rfc6902.Apply(doc, """[{"op":"add","path":"/metadata/annotations/sidecars.dev~1status","value":"s"},{"op":"add","path":"/spec/containers/1","value":{"name":"y"}},{"op":"remove","path":"/metadata/annotations/a"}]""");
        Assert.Equal("""{"metadata":{"annotations":{"sidecars.dev/status":"s"}},"spec":{"containers":[{"name":"x"},{"name":"y"}]}}""", result.ToJsonString());
    }
}
