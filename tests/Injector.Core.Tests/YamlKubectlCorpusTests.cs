using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Manifests;
using Injector.Core.Tests.Support;
using Injector.Core.Yaml;

namespace Injector.Core.Tests;

/// <summary>
/// Our YAML reading and writing against kubectl's own, over the files in <c>YamlCorpus</c>: each input has its
/// <c>.kubectl.json</c>, the output of <c>kubectl patch --local --type merge -p {} -o json -f INPUT</c> (kubectl
/// 1.32, no cluster needed), regenerated and re-checked by <c>hack/yaml-corpus</c>, which also feeds our output back
/// to kubectl. Objects that do not opt in must come out of <c>inject -f</c> exactly as kubectl reads them.
/// </summary>
public sealed class YamlKubectlCorpusTests
{
    public static TheoryData<string> Inputs() => new(KubectlReading.CorpusInputs());

    [Theory]
    [MemberData(nameof(Inputs))]
    public void We_read_each_manifest_as_kubectl_does(string input)
    {
        var text = File.ReadAllText(Path.Combine(KubectlReading.CorpusDirectory, input));
        var expected = KubectlReading.ReadConcatenated(File.ReadAllText(KubectlReading.ExpectationPath(input)));

        var ours = KubectlReading.Flatten(YamlJson.ParseAll(text)).ToList();

        AssertSame(expected, ours);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Inject_writes_objects_that_do_not_opt_in_so_they_read_back_the_same(string input)
    {
        var text = File.ReadAllText(Path.Combine(KubectlReading.CorpusDirectory, input));
        var expected = KubectlReading.ReadConcatenated(File.ReadAllText(KubectlReading.ExpectationPath(input)));

        var result = new ManifestInjector(new InjectionEngine()).Inject(text, InjectorConfig.Default);

        Assert.False(result.AnyDenied, string.Join("\n", result.Messages));
        AssertSame(expected, KubectlReading.Flatten(YamlJson.ParseAll(result.Yaml)).ToList());

        // Writing is stable: what we print reads back to what we print.
        var again = new ManifestInjector(new InjectionEngine()).Inject(result.Yaml, InjectorConfig.Default);
        Assert.Equal(result.Yaml, again.Yaml);
    }

    private static void AssertSame(List<System.Text.Json.Nodes.JsonNode> expected, List<System.Text.Json.Nodes.JsonNode> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var difference = KubectlReading.Difference(expected[i], actual[i]);
            Assert.True(difference is null, $"document {i + 1}: {difference}");
        }
    }
}
