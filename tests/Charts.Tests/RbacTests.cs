using k8s.Models;

namespace Charts.Tests;

/// <summary>Least-privilege RBAC: sidecar ClusterRoles, the injector's own role, and the loop's opt-out.</summary>
public sealed class RbacTests
{
    private static IEnumerable<V1PolicyRule> AllRules(Rendered r) =>
        r.All<V1ClusterRole>().SelectMany(c => c.Rules).Concat(r.All<V1Role>().SelectMany(c => c.Rules));

    [Theory]
    [InlineData("tls.mode=certManager")]
    [InlineData("tls.mode=helm")]
    [InlineData("rbac.sidecarRoleBindings.enabled=false")]
    public void No_wildcards_anywhere(string set)
    {
        var rules = AllRules(HelmChart.Render(set)).ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.DoesNotContain("*", rule.Verbs);
            Assert.DoesNotContain("*", rule.Resources ?? []);
            Assert.DoesNotContain("*", rule.ApiGroups ?? []);
            Assert.DoesNotContain(rule.Resources ?? [], res => res.Contains('*', StringComparison.Ordinal));
            Assert.Null(rule.NonResourceURLs);
            Assert.DoesNotContain("escalate", rule.Verbs);
            Assert.DoesNotContain("impersonate", rule.Verbs);
            Assert.DoesNotContain("delete", rule.Verbs);
        });
    }

    [Fact]
    public void Shawarma_reads_endpointslices_and_services_only()
    {
        var role = HelmChart.Render().Named<V1ClusterRole>("injector-shawarma");
        Assert.Equal(2, role.Rules.Count);
        var slices = Assert.Single(role.Rules, r => r.Resources.Contains("endpointslices"));
        Assert.Equal(["discovery.k8s.io"], slices.ApiGroups);
        Assert.Equal(["endpointslices"], slices.Resources);
        Assert.Equal(["get", "list", "watch"], slices.Verbs);
        var services = Assert.Single(role.Rules, r => r.Resources.Contains("services"));
        Assert.Equal([""], services.ApiGroups);
        Assert.Equal(["services"], services.Resources);
        Assert.Equal(["get", "list", "watch"], services.Verbs);
    }

    [Fact]
    public void Proa_reads_pods_only()
    {
        var role = HelmChart.Render().Named<V1ClusterRole>("injector-proa");
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["get", "list", "watch"], rule.Verbs);
    }

    [Fact]
    public void Injector_binds_only_the_sidecar_cluster_roles()
    {
        var r = HelmChart.Render();
        var role = r.Named<V1ClusterRole>("injector");
        Assert.Equal(3, role.Rules.Count);

        var pods = Assert.Single(role.Rules, x => x.Resources.Contains("pods"));
        Assert.Equal(["list", "watch"], pods.Verbs);

        var bindings = Assert.Single(role.Rules, x => x.Resources.Contains("rolebindings"));
        Assert.Equal(["rbac.authorization.k8s.io"], bindings.ApiGroups);
        Assert.Equal(["get", "create", "update"], bindings.Verbs);

        var bind = Assert.Single(role.Rules, x => x.Verbs.Contains("bind"));
        Assert.Equal(["bind"], bind.Verbs);
        Assert.Equal(["clusterroles"], bind.Resources);
        Assert.Equal(["injector-shawarma", "injector-proa"], bind.ResourceNames);
        Assert.All(bind.ResourceNames, name => r.Named<V1ClusterRole>(name));

        var crb = r.Named<V1ClusterRoleBinding>("injector");
        Assert.Equal("injector", crb.RoleRef.Name);
        var subject = Assert.Single(crb.Subjects);
        Assert.Equal(("ServiceAccount", "injector", HelmChart.Namespace), (subject.Kind, subject.Name, subject.NamespaceProperty));
        r.Named<V1ServiceAccount>("injector");
    }

    [Fact]
    public void The_loop_is_told_exactly_the_cluster_roles_the_chart_created()
    {
        var r = HelmChart.Render();
        var container = Assert.Single(r.One<V1Deployment>().Spec.Template.Spec.Containers);
        var env = Assert.Single(container.Env, e => e.Name == "INJECTOR_SIDECAR_CLUSTERROLES");
        Assert.Equal("shawarma=injector-shawarma,proa=injector-proa", env.Value);
        Assert.True(r.One<V1Deployment>().Spec.Template.Spec.AutomountServiceAccountToken);
    }

    [Fact]
    public void Release_name_prefixes_the_cluster_roles()
    {
        var result = Repo.Run(Repo.Helm, ["template", "blue", Repo.Chart, "-n", "x"]);
        Assert.True(result.ExitCode == 0, result.Describe());
        var r = Rendered.Parse(result.StdOut);
        var env = r.One<V1Deployment>().Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "INJECTOR_SIDECAR_CLUSTERROLES");
        Assert.Equal("shawarma=blue-injector-shawarma,proa=blue-injector-proa", env.Value);
        Assert.Equal(["blue-injector-shawarma", "blue-injector-proa"],
            r.Named<V1ClusterRole>("blue-injector").Rules.Single(x => x.Verbs.Contains("bind")).ResourceNames);
    }

    [Fact]
    public void Opting_out_of_the_loop_removes_the_injectors_api_access()
    {
        var r = HelmChart.Render("rbac.sidecarRoleBindings.enabled=false");
        Assert.False(r.Has("ClusterRole", "injector"));
        Assert.False(r.Has("ClusterRoleBinding", "injector"));
        // The sidecar ClusterRoles stay, for teams that bind them by hand.
        r.Named<V1ClusterRole>("injector-shawarma");
        r.Named<V1ClusterRole>("injector-proa");
        var spec = r.One<V1Deployment>().Spec.Template.Spec;
        Assert.False(spec.AutomountServiceAccountToken);
        Assert.Equal("", spec.Containers[0].Env.Single(e => e.Name == "INJECTOR_SIDECAR_CLUSTERROLES").Value ?? "");
    }

    [Fact]
    public void Service_account_does_not_automount_its_token()
    {
        Assert.False(HelmChart.Render().Named<V1ServiceAccount>("injector").AutomountServiceAccountToken);
    }
}
