using System.Reflection;
using Sidecars.Contract;

namespace Charts.Tests;

/// <summary>The chart's README documents every annotation key of the contract (so a new key cannot go undocumented).</summary>
public sealed class ChartReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Chart, "README.md"));

    /// <summary>Every public string constant of <see cref="AnnotationKeys"/> that is a key (not a fragment or prefix of one).</summary>
    public static TheoryData<string> Keys()
    {
        var keys = typeof(AnnotationKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(k => !k.StartsWith('.') && !k.EndsWith('/'))
            .Concat(SidecarNames.All.Select(AnnotationKeys.ImageOverride))
            .ToList();
        Assert.True(keys.Count > 20, $"found only {keys.Count} keys: has the contract moved?");
        return new TheoryData<string>(keys);
    }

    [Theory]
    [MemberData(nameof(Keys))]
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
