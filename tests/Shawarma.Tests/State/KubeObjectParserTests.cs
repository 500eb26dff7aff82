using System.Text.Json;
using Shawarma.State;
using Shawarma.Tests.Fakes;

namespace Shawarma.Tests.State;

public sealed class KubeObjectParserTests
{
    [Fact]
    public void Parses_a_real_endpoint_slice()
    {
        var json = Objects.Slice("web-abc12", "web",
            Objects.Endpoint("web-1", true),
            Objects.Endpoint("web-2", false),
            Objects.Endpoint("web-3", null),
            Objects.Endpoint("node-x", true, kind: "Node")).ToJsonString();
        using var doc = JsonDocument.Parse(json);
        var slice = KubeObjectParser.ParseEndpointSlice(doc.RootElement);
        Assert.Equal("web-abc12", slice.Name);
        Assert.Equal("web", slice.ServiceName);
        Assert.Equal(
            [new SliceEndpoint("web-1", true), new SliceEndpoint("web-2", false), new SliceEndpoint("web-3", true), new SliceEndpoint(null, true)],
            slice.Endpoints);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"s"},"endpoints":null}""", 0)]
    [InlineData("""{"metadata":{"name":"s"}}""", 0)]
    [InlineData("""{"metadata":{"name":"s"},"endpoints":[{"addresses":["10.0.0.1"]}]}""", 1)]
    [InlineData("""{"metadata":{"name":"s"},"endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":null},"targetRef":{"kind":"Pod","name":"p"}}]}""", 1)]
    public void Tolerates_missing_fields(string json, int endpoints)
    {
        using var doc = JsonDocument.Parse(json);
        var slice = KubeObjectParser.ParseEndpointSlice(doc.RootElement);
        Assert.Null(slice.ServiceName);
        Assert.Equal(endpoints, slice.Endpoints.Count);
        Assert.All(slice.Endpoints, e => Assert.True(e.Ready)); // absent/null ready = ready
    }

    [Fact]
    public void Parses_a_service()
    {
        var service = Objects.Service("web", ("app", "shop"));
        using var doc = JsonDocument.Parse(service.ToJsonString());
        var info = KubeObjectParser.ParseService(doc.RootElement);
        Assert.Equal("web", info.Name);
        Assert.Equal("shop", info.Labels["app"]);
    }
}
