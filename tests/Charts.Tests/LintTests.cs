namespace Charts.Tests;

/// <summary>`helm lint --strict` and `helm template` for the default values and each TLS mode.</summary>
public sealed class LintTests
{
    public static TheoryData<string, string[]> Modes => new()
    {
        { "default (cert-manager, chart CA)", [] },
        { "cert-manager with an existing ClusterIssuer", ["tls.certManager.issuerRef.name=corp-ca", "tls.certManager.issuerRef.kind=ClusterIssuer"] },
        { "Helm-generated CA", ["tls.mode=helm"] },
        { "RoleBinding loop off", ["rbac.sidecarRoleBindings.enabled=false"] },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Lint_is_clean(string name, string[] sets)
    {
        var result = HelmChart.Lint(sets);
        Assert.True(result.ExitCode == 0, $"{name}: {result.Describe()}");
        Assert.Contains("0 chart(s) failed", result.StdOut);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Template_renders_parseable_objects(string name, string[] sets)
    {
        var r = HelmChart.Render(sets);
        Assert.True(r.Objects.Count >= 10, name);
        Assert.All(r.Objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Metadata.Name));
            Assert.Equal(HelmChart.Release, o.Metadata.Labels["app.kubernetes.io/instance"]);
            Assert.Equal("0.1.0", o.Metadata.Labels["app.kubernetes.io/version"]);
        });
        // Namespaced objects all land in the release namespace; cluster-scoped ones carry no namespace.
        string[] clusterScoped = ["ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration"];
        Assert.All(r.Objects, o => Assert.Equal(
            clusterScoped.Contains(o.Kind) ? null : HelmChart.Namespace, o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void Object_names_are_unique_per_kind()
    {
        var r = HelmChart.Render();
        var dupes = r.Objects.GroupBy(o => (o.Kind, o.Metadata.Name)).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(dupes);
    }

    [Fact]
    public void One_template_per_object()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Chart, "templates"), "*.yaml", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.True(text.Split('\n').Count(l => l.StartsWith("kind:", StringComparison.Ordinal)) <= 1,
                $"{Path.GetFileName(file)} renders more than one object");
        }
    }
}
