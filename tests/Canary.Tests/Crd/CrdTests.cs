using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Canary.Api;
using Canary.Tests.Support;
using k8s;
using Injector.Core.Yaml;
using TestKit;

namespace Canary.Tests.Crd;

/// <summary>
/// The CRD in charts/injector/crds, applied to sample CanaryApps as the API server would (strict fields, defaults,
/// OpenAPI, CEL), and kept in step with the C# types the controller reads.
/// </summary>
public sealed class CrdTests
{
    private static readonly CrdAdmission Admission = CrdAdmission.FromChart();

    private static string SamplePath(string file) => Path.Combine(RepositoryPaths.Of("tests", "Canary.Tests", "Crd", "Samples"), file);

    public static TheoryData<string> Valid() => Files("valid-");

    public static TheoryData<string> Invalid() => Files("invalid-");

    private static TheoryData<string> Files(string prefix)
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Of("tests", "Canary.Tests", "Crd", "Samples")), prefix + "*.yaml").Order())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_sample_is_admitted_and_the_controller_accepts_it(string file)
    {
        var (stored, errors) = Admission.Admit(Assert.Single(YamlJson.ParseAll(File.ReadAllText(SamplePath(file))))!.AsObject());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var app = KubernetesJson.Deserialize<CanaryApp>(stored.ToJsonString());
        Assert.Null(EffectiveSpec.From(app.Spec, app.Metadata.Name).Error);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_sample_is_refused_with_a_clear_message(string file)
    {
        var text = File.ReadAllText(SamplePath(file));
        var expected = text.Split('\n')[0].Replace("# expect: ", "", StringComparison.Ordinal).Trim();
        var (stored, errors) = Admission.Admit(Assert.Single(YamlJson.ParseAll(text))!.AsObject());
        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"expected an error containing \"{expected}\", got:\n{string.Join("\n", errors)}");

        // The controller does not trust the API server to have refused it: it finds the problem too (apart from what
        // only the API server can see: unknown fields it prunes, a wrongly typed field).
        if (file is "invalid-unknown-field.yaml" or "invalid-interval-as-string.yaml")
        {
            return;
        }

        var app = KubernetesJson.Deserialize<CanaryApp>(stored.ToJsonString());
        Assert.NotNull(EffectiveSpec.From(app.Spec, app.Metadata.Name).Error);
    }

    [Fact]
    public void Canaryop_sample_gets_the_documented_defaults()
    {
        var (stored, errors) = Admission.Admit(Assert.Single(YamlJson.ParseAll(File.ReadAllText(SamplePath("valid-canaryop-sample.yaml"))))!.AsObject());
        Assert.Empty(errors);
        var spec = stored["spec"]!;
        Assert.Equal("Hold", spec["onNoData"]!.GetValue<string>());
        Assert.Equal(30, spec["trafficShiftUpdateInterval"]!.GetValue<long>());
        Assert.Equal(1, spec["threshold"]!.GetValue<long>());
        Assert.Equal(600, spec["progressDeadlineSeconds"]!.GetValue<long>());
        Assert.False(spec["failWhenPrometheusFails"]!.GetValue<bool>());
        Assert.False(spec["suspend"]!.GetValue<bool>());
        Assert.Equal("istio", spec["traffic"]!["provider"]!.GetValue<string>());
        Assert.Equal(80, spec["servicePort"]!.GetValue<long>());
        Assert.Null(spec["stepWeight"]); // defaulted by the controller, so stepWeights stays possible
        Assert.Equal(8088, spec["imageListenPort"]!.GetValue<long>()); // the user's value is kept

        var effective = EffectiveSpec.From(KubernetesJson.Deserialize<CanaryApp>(stored.ToJsonString()).Spec);
        Assert.Equal([10, 20, 30, 40, 50], effective.Steps);
        Assert.False(effective.UsesThresholdRange); // canaryop's convention: any series fails
    }

    [Fact]
    public void Crd_names_status_subresource_and_printer_columns()
    {
        var crd = Admission.Crd;
        Assert.Equal($"{CanaryApp.Plural}.{CanaryApp.Group}", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(CanaryApp.Group, crd["spec"]!["group"]!.GetValue<string>());
        Assert.Equal(CanaryApp.KindName, crd["spec"]!["names"]!["kind"]!.GetValue<string>());
        var version = crd["spec"]!["versions"]![0]!;
        Assert.Equal(CanaryApp.Version, version["name"]!.GetValue<string>());
        Assert.NotNull(version["subresources"]!["status"]);
        var columns = version["additionalPrinterColumns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["jsonPath"]!.GetValue<string>())).ToList();
        Assert.Contains(("Image", ".spec.image"), columns);
        Assert.Contains(("Weight", ".status.canaryWeight"), columns);
        Assert.Contains(("Phase", ".status.phase"), columns);
        Assert.Contains(("Age", ".metadata.creationTimestamp"), columns);
    }

    [Theory]
    [InlineData("spec", typeof(CanaryAppSpec))]
    [InlineData("status", typeof(CanaryAppStatus))]
    public void Schema_and_csharp_types_name_the_same_fields(string section, Type type)
    {
        var schemaFields = Admission.Schema["properties"]![section]!["properties"]!.AsObject().Select(kv => kv.Key).Order();
        var typeFields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).Order();
        Assert.Equal(typeFields, schemaFields);
    }

    [Fact]
    public async Task Status_the_controller_writes_is_valid_against_the_schema()
    {
        var t = new Ticker(Ticker.App());
        await t.RunUntilIdleAsync();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        t.Analysis.Then(ScriptedAnalysis.Fail);
        await t.RunUntilIdleAsync();
        var obj = JsonNode.Parse(KubernetesJson.Serialize(t.World.App))!.AsObject();
        var (_, errors) = Admission.Admit(obj);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal("Failed", obj["status"]!["phase"]!.GetValue<string>());
    }
}
