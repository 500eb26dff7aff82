using k8s.Models;
using Rollout.Planning;

namespace Rollout.Tests.Planning;

public sealed class LabelSelectorsTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Fact]
    public void MatchLabels_and_every_operator()
    {
        Assert.True(LabelSelectors.Matches(new V1LabelSelector(), Labels));
        Assert.True(LabelSelectors.Matches(Selector(("app", "web")), Labels));
        Assert.False(LabelSelectors.Matches(Selector(("app", "api")), Labels));
        Assert.True(LabelSelectors.Matches(Expression("tier", "In", "front", "back"), Labels));
        Assert.False(LabelSelectors.Matches(Expression("tier", "NotIn", "front"), Labels));
        Assert.True(LabelSelectors.Matches(Expression("zone", "NotIn", "a"), Labels));
        Assert.True(LabelSelectors.Matches(Expression("app", "Exists"), Labels));
        Assert.False(LabelSelectors.Matches(Expression("app", "DoesNotExist"), Labels));
        Assert.False(LabelSelectors.Matches(Expression("app", "Gt", "1"), Labels));
    }

    [Fact]
    public void The_query_form_is_what_the_API_server_parses()
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "t", OperatorProperty = "In", Values = ["y", "x"] }, new V1LabelSelectorRequirement { Key = "gone", OperatorProperty = "DoesNotExist" }],
        };

        Assert.Equal("a=1,b=2,t in (x,y),!gone", LabelSelectors.ToQuery(selector));
    }

    private static V1LabelSelector Selector(params (string Key, string Value)[] labels) =>
        new() { MatchLabels = labels.ToDictionary(l => l.Key, l => l.Value) };

    private static V1LabelSelector Expression(string key, string op, params string[] values) =>
        new() { MatchExpressions = [new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values }] };
}
