using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Manifests;
using Injector.Core.Tests.Support;
using Injector.Core.Yaml;

namespace Injector.Core.Tests;

/// <summary>
/// Hostile input is normal input: edited manifests and configs never throw anything but the documented errors, and
/// whatever is written reads back to the same JSON and writes the same text again.
/// </summary>
public sealed class YamlFuzzTests
{
    private const string Nasty = " \t\n\r:#-?\"'\\0178.exbyn~|>&*![]{},%@`_+=<é\u0085\u2028\u00a0\uFEFF\u0001😀";

    private static readonly ManifestInjector Injector = new(new InjectionEngine());

    /// <summary>A few edits (delete a span, insert a nasty character, repeat a line) at random places.</summary>
    private static readonly Gen<(int Kind, int Position, int Length, int Char)[]> Edits =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Int[1, 12], Gen.Int[0, Nasty.Length - 1]).Array[1, 6];

    [Fact]
    public void Edited_manifests_never_throw_and_what_comes_out_reads_back_and_writes_the_same()
    {
        var original = File.ReadAllText(Path.Combine(KubectlReading.CorpusDirectory, "workload.yaml"))
            + "---\n" + File.ReadAllText(Path.Combine(KubectlReading.CorpusDirectory, "merge.yaml"))
            + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {sidecars.dev/inject: \"appup,proa\", proa.sidecars.dev/command: '[\"/app\"]'}\nspec:\n  containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]\n";

        Edits.Sample(edits =>
        {
            var text = Apply(original, edits);
            var result = Injector.Inject(text, InjectorConfig.Default);

            var again = YamlJson.ParseAll(result.Yaml);
            Assert.Equal(result.Yaml, YamlJson.Serialize(again));
        }, iter: 400);
    }

    [Fact]
    public void Edited_configs_load_or_give_a_config_error()
    {
        Edits.Sample(edits =>
        {
            try
            {
                InjectorConfig.Parse(Apply(InjectorConfig.DefaultYaml, edits));
            }
            catch (InjectorConfigException)
            {
            }
        }, iter: 400);
    }

    [Fact]
    public void Any_json_is_written_as_yaml_that_reads_back_to_the_same_json()
    {
        var atoms = Atoms(Nasty + "aZ");
        var text = Gen.Int[0, atoms.Length - 1].Array[0, 8].Select(picks => string.Concat(picks.Select(i => atoms[i])));
        var scalar = Gen.OneOf<JsonNode?>(
            text.Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Long.Select(l => (JsonNode?)JsonNode.Parse(l.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonNode.Parse(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Const((JsonNode?)null));
        var tree = Gen.Recursive<JsonNode?>((depth, inner) => depth > 3
            ? scalar
            : Gen.OneOf(
                scalar,
                inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items)),
                Gen.Select(text, inner).Array[0, 4].Select(pairs =>
                {
                    var obj = new JsonObject();
                    foreach (var (key, value) in pairs)
                    {
                        obj[key] = value;
                    }

                    return (JsonNode?)obj;
                })));

        tree.Select(t => new JsonObject { ["root"] = t }).Sample(document =>
        {
            var yaml = YamlJson.Serialize([document]);
            var back = YamlJson.ParseOne(yaml);

            Assert.True(KubectlReading.Difference(document, back) is null, $"{KubectlReading.Difference(document, back)}\n{yaml}");
        }, iter: 2000);
    }

    /// <summary>The alphabet as whole characters, so a generated string never splits a surrogate pair.</summary>
    private static string[] Atoms(string alphabet)
    {
        var atoms = new List<string>();
        var e = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        while (e.MoveNext())
        {
            atoms.Add(e.GetTextElement());
        }

        return [.. atoms];
    }

    private static string Apply(string text, (int Kind, int Position, int Length, int Char)[] edits)
    {
        var builder = new StringBuilder(text);
        foreach (var (kind, position, length, c) in edits)
        {
            var at = position % (builder.Length + 1);
            switch (kind)
            {
                case 0:
                    builder.Remove(at, Math.Min(length, builder.Length - at));
                    break;
                case 1:
                    builder.Insert(at, Nasty[c]);
                    break;
                default:
                    var s = builder.ToString();
                    var start = s.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
                    var end = s.IndexOf('\n', at);
                    builder.Insert(start, s[start..(end < 0 ? s.Length : end + 1)]);
                    break;
            }
        }

        return builder.ToString();
    }
}
