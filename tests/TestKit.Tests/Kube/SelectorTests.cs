using TestKit.Kube.Selectors;

namespace TestKit.Tests.Kube;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["version"] = "3", ["example.com/team"] = "a" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app in (api)", false)]
    [InlineData("app notin (api)", true)]
    [InlineData("missing notin (api)", true)]
    [InlineData("missing in (api)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("version>2", true)]
    [InlineData("version<3", false)]
    [InlineData("example.com/team=a, app = web", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("app=", false)]
    public void Label_selectors_match_like_apimachinery(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app in ()")]
    [InlineData("=web")]
    [InlineData("app=web,")]
    [InlineData("bad key=x")]
    [InlineData("app=has space")]
    [InlineData("version>x")]
    public void Malformed_label_selectors_are_rejected(string selector) =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

    [Fact]
    public void Field_selectors_support_escapes_and_refuse_unknown_fields()
    {
        var obj = System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"name":"a,b","namespace":"shop"}}""")!.AsObject();
        string[] supported = ["metadata.name", "metadata.namespace"];
        Assert.True(FieldSelector.Parse(@"metadata.name=a\,b,metadata.namespace==shop", supported).Matches(obj));
        Assert.False(FieldSelector.Parse("metadata.namespace!=shop", supported).Matches(obj));
        Assert.Equal("field label not supported: spec.x", Assert.Throws<FormatException>(() => FieldSelector.Parse("spec.x=1", supported)).Message);
    }
}
