using System.Text.Json.Nodes;
using Injector.Core.Yaml;

namespace Injector.Core.Tests;

public sealed class YamlJsonTests
{
    [Fact]
    public void Plain_scalars_are_typed_and_quoted_ones_stay_strings()
    {
        var node = YamlJson.ParseOne("""
            a: 1
            b: "1"
            c: true
            d: 'true'
            e: ~
            f: 1.5
            g: hello
            h: 0755
            i: [x, 2]
            """)!;

        Assert.Equal("""{"a":1,"b":"1","c":true,"d":"true","e":null,"f":1.5,"g":"hello","h":755,"i":["x",2]}""", node.ToJsonString());
    }

    [Fact]
    public void Round_trip_keeps_types_of_ambiguous_strings()
    {
        var original = JsonNode.Parse("""{"s":["true","1","","null","yes","0755","1.0","text: with colon","- dash","multi\nline\n"],"n":[1,2.5,false,null],"e":{},"l":[]}""");

        var yaml = YamlJson.Serialize([original]);
        var back = YamlJson.ParseOne(yaml);

        Assert.Equal(original!.ToJsonString(), back!.ToJsonString());
    }

    [Fact]
    public void Multi_document_streams_skip_empty_documents()
    {
        var docs = YamlJson.ParseAll("---\na: 1\n---\n---\nb: 2\n");

        Assert.Equal(2, docs.Count);
    }
}
