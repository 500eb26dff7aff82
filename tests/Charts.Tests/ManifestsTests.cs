using k8s.Models;

namespace Charts.Tests;

/// <summary>manifests/ is current with the chart (the CI check) and the examples are valid, opted-in workloads.</summary>
public sealed class ManifestsTests
{
    /// <summary>Every file hack/render-manifests writes (injector, cert-manager, canary, rollout) equals the committed one.</summary>
    [Fact]
    public void Rendered_manifests_are_current()
    {
        using var outDir = new TempDirectory("manifests-");
        var result = Repo.Run("bash", [Repo.PathOf("hack", "render-manifests"), outDir.Path],
            env: new Dictionary<string, string> { ["PATH"] = TestKit.Tools.Helm.PathWithHelm });
        Assert.True(result.ExitCode == 0, result.Describe());
        var rendered = Directory.EnumerateFiles(outDir.Path, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(outDir.Path, f)).Order().ToList();
        Assert.Superset(new HashSet<string> { "injector.yaml", "cert-manager.yaml", Path.Combine("canary", "crd.yaml"), Path.Combine("rollout", "sidecar-rollout.yaml") }, rendered.ToHashSet());
        foreach (var name in rendered)
        {
            var committed = Repo.PathOf("manifests", name);
            Assert.True(File.Exists(committed) && File.ReadAllText(Path.Combine(outDir.Path, name)) == File.ReadAllText(committed),
                $"manifests/{name} is stale: run ./hack/render-manifests and commit the result");
        }
    }

    [Fact]
    public void Plain_install_contains_the_namespace_and_every_chart_object()
    {
        var injector = Rendered.Parse(File.ReadAllText(Repo.PathOf("manifests", "injector.yaml")));
        var certManager = Rendered.Parse(File.ReadAllText(Repo.PathOf("manifests", "cert-manager.yaml")));
        Assert.Equal("Namespace", injector.Objects[0].Kind);
        Assert.Equal(HelmChart.Namespace, injector.Objects[0].Metadata.Name);
        Assert.Equal(["Certificate", "Certificate", "Issuer", "Issuer"], certManager.Kinds.Order());
        Assert.DoesNotContain("Pod", injector.Kinds); // no helm test hook in plain YAML
        var chart = HelmChart.Render();
        var plain = injector.Objects.Skip(1).Concat(certManager.Objects).Select(o => $"{o.Kind}/{o.Metadata.Name}").Order();
        Assert.Equal(chart.Objects.Where(o => o.Kind != "Pod").Select(o => $"{o.Kind}/{o.Metadata.Name}").Order(), plain);
    }

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Repo.PathOf("manifests", "examples"), "*.yaml").Order())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Examples_parse_and_opt_in_with_known_sidecars(string file)
    {
        var r = Rendered.Parse(File.ReadAllText(Repo.PathOf("manifests", "examples", file)));
        Assert.NotEmpty(r.Objects);
        var templates = r.All<V1Deployment>().Select(d => d.Spec.Template)
            .Concat(r.All<V1Job>().Select(j => j.Spec.Template)).ToList();
        foreach (var t in templates)
        {
            var a = t.Metadata.Annotations;
            if (a.TryGetValue("sidecars.dev/inject", out var inject))
            {
                Assert.All(inject.Split(','), s => Assert.Contains(s.Trim(), new[] { "shawarma", "appup", "proa" }));
            }
            else
            {
                Assert.Contains("shawarma.centeredge.io/service-name", a.Keys);
            }
        }
    }

    [Fact]
    public void There_is_an_example_for_each_sidecar_including_a_proa_job()
    {
        var all = Directory.EnumerateFiles(Repo.PathOf("manifests", "examples"), "*.yaml").Select(Path.GetFileName)
            .Select(f => Rendered.Parse(File.ReadAllText(Repo.PathOf("manifests", "examples", f!))))
            .SelectMany(r => r.Objects).ToList();
        string Inject(V1PodTemplateSpec t) => t.Metadata.Annotations is { } a && a.TryGetValue("sidecars.dev/inject", out var v) ? v : "";
        var deployments = all.OfType<V1Deployment>().Select(d => Inject(d.Spec.Template)).ToList();
        Assert.Contains(deployments, s => s.Contains("appup"));
        Assert.Contains(deployments, s => s.Contains("shawarma"));
        Assert.Contains(all.OfType<V1Job>(), j => Inject(j.Spec.Template).Contains("proa"));
    }
}
