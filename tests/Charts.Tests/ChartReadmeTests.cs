namespace Charts.Tests;

/// <summary>The chart's README documents every annotation key of the contract (so a new key cannot go undocumented).</summary>
public sealed class ChartReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Chart, "README.md"));

    [Theory]
    [MemberData(nameof(ContractKeys.Data), MemberType = typeof(ContractKeys))]
    public void Every_annotation_key_of_the_contract_is_documented(string key)
    {
        Assert.True(Readme.Contains($"`{key}`", StringComparison.Ordinal), $"charts/injector/README.md does not document `{key}`");
    }

    [Fact]
    public void Every_metric_the_injector_exposes_is_documented()
    {
        var source = File.ReadAllText(Repo.PathOf("src", "Injector", "Metrics", "InjectorMetrics.cs"));
        var names = System.Text.RegularExpressions.Regex.Matches(source, "\"(injector_[a-z_]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            Assert.True(Readme.Contains($"`{name}", StringComparison.Ordinal), $"charts/injector/README.md does not document metric {name}");
        }
    }
}
