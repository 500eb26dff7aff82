using Injector.Rbac;
using k8s.Models;

namespace Injector.Tests.Rbac;

public sealed class RoleBindingPlannerTests
{
    private static readonly IReadOnlyDictionary<string, string> Roles =
        RoleBindingReconcilerOptions.ParseClusterRoles("shawarma=injector-shawarma,proa=injector-proa");

    internal static V1Pod Pod(string ns, string name, string? serviceAccount, string? status) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["sidecars.dev/injected"] = "true" },
            Annotations = status is null ? null : new Dictionary<string, string> { ["sidecars.dev/status"] = status },
        },
        Spec = new V1PodSpec { ServiceAccountName = serviceAccount, Containers = [new V1Container { Name = "app" }] },
    };

    [Theory]
    [InlineData("""{"revision":"r","sidecars":["shawarma"],"containers":[],"initContainers":[],"volumes":[]}""", "shawarma")]
    [InlineData("""{"revision":"r","containers":["shawarma"],"initContainers":["proa-init"],"volumes":["sidecars-proa"]}""", "proa,shawarma")]
    [InlineData("""{"revision":"r","containers":[],"initContainers":["shawarma","appup"],"volumes":[]}""", "appup,shawarma")]
    [InlineData("""{"revision":"r","containers":["istio-proxy"],"initContainers":[],"volumes":[]}""", "")]
    public void Sidecars_come_from_the_status_annotation(string status, string expected)
    {
        Assert.Equal(expected, string.Join(',', RoleBindingPlanner.SidecarsOf(status)!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Unreadable_status_is_null(string? status) => Assert.Null(RoleBindingPlanner.SidecarsOf(status));

    [Fact]
    public void One_binding_per_namespace_service_account_and_api_reading_sidecar()
    {
        var pods = new[]
        {
            Pod("a", "web-1", null, """{"containers":[],"initContainers":["shawarma","appup"]}"""),
            Pod("a", "web-2", "", """{"containers":[],"initContainers":["shawarma"]}"""),
            Pod("b", "job", "worker", """{"containers":["shawarma"],"initContainers":["proa-init"]}"""),
            Pod("c", "up", "default", """{"containers":["appup"],"initContainers":[]}"""),
            Pod("d", "plain", "default", null),
        };
        var desired = RoleBindingPlanner.DesiredFor(pods, Roles);
        Assert.Equal(
            [
                new DesiredRoleBinding("a", "sidecars-dev-shawarma-default", "default", "shawarma", "injector-shawarma"),
                new DesiredRoleBinding("b", "sidecars-dev-proa-worker", "worker", "proa", "injector-proa"),
                new DesiredRoleBinding("b", "sidecars-dev-shawarma-worker", "worker", "shawarma", "injector-shawarma"),
            ],
            desired);
    }

    [Fact]
    public void Sidecars_without_a_cluster_role_get_no_binding()
    {
        var only = RoleBindingReconcilerOptions.ParseClusterRoles("shawarma=x");
        var pod = Pod("a", "p", "sa", """{"sidecars":["proa","shawarma"]}""");
        Assert.Equal("x", Assert.Single(RoleBindingPlanner.DesiredFor(pod, only)).ClusterRole);
    }

    [Fact]
    public void Long_names_are_shortened_with_a_hash()
    {
        var sa = new string('s', 253);
        var a = RoleBindingPlanner.BindingName("shawarma", sa);
        var b = RoleBindingPlanner.BindingName("shawarma", sa + "x");
        Assert.True(a.Length <= 253);
        Assert.NotEqual(a, b);
        Assert.StartsWith("sidecars-dev-shawarma-sss", a);
        Assert.Equal("sidecars-dev-proa-default", RoleBindingPlanner.BindingName("proa", "default"));
    }

    [Fact]
    public void Built_binding_is_labelled_and_binds_the_cluster_role_to_the_service_account()
    {
        var rb = RoleBindingPlanner.Build(new DesiredRoleBinding("a", "sidecars-dev-proa-w", "w", "proa", "injector-proa"));
        Assert.Equal("sidecars-injector", rb.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal(("ClusterRole", "injector-proa", "rbac.authorization.k8s.io"), (rb.RoleRef.Kind, rb.RoleRef.Name, rb.RoleRef.ApiGroup));
        var s = Assert.Single(rb.Subjects);
        Assert.Equal(("ServiceAccount", "w", "a"), (s.Kind, s.Name, s.NamespaceProperty));
    }

    [Fact]
    public void Decide_covers_ours_foreign_drifted_and_immutable_role_ref()
    {
        var d = new DesiredRoleBinding("a", "sidecars-dev-proa-w", "w", "proa", "injector-proa");
        Assert.Equal(ExistingBindingAction.UpToDate, RoleBindingPlanner.Decide(RoleBindingPlanner.Build(d), d));

        var foreign = RoleBindingPlanner.Build(d);
        foreign.Metadata.Labels.Remove("app.kubernetes.io/managed-by");
        Assert.Equal(ExistingBindingAction.Foreign, RoleBindingPlanner.Decide(foreign, d));
        foreign.Metadata.Labels = null;
        Assert.Equal(ExistingBindingAction.Foreign, RoleBindingPlanner.Decide(foreign, d));

        var drifted = RoleBindingPlanner.Build(d);
        drifted.Subjects.Add(new Rbacv1Subject { Kind = "User", Name = "mallory" });
        Assert.Equal(ExistingBindingAction.Update, RoleBindingPlanner.Decide(drifted, d));

        var otherRole = RoleBindingPlanner.Build(d with { ClusterRole = "old-proa" });
        Assert.Equal(ExistingBindingAction.RoleRefMismatch, RoleBindingPlanner.Decide(otherRole, d));
    }

    [Fact]
    public void Merge_keeps_resource_version_and_foreign_labels()
    {
        var d = new DesiredRoleBinding("a", "sidecars-dev-proa-w", "w", "proa", "injector-proa");
        var existing = RoleBindingPlanner.Build(d);
        existing.Metadata.ResourceVersion = "42";
        existing.Metadata.Labels["team"] = "payments";
        existing.Subjects = [];
        var merged = RoleBindingPlanner.Merge(existing, d);
        Assert.Equal("42", merged.Metadata.ResourceVersion);
        Assert.Equal("payments", merged.Metadata.Labels["team"]);
        Assert.Equal("w", Assert.Single(merged.Subjects).Name);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("  ", 0)]
    [InlineData("shawarma=a", 1)]
    [InlineData(" shawarma = a , proa=b ", 2)]
    public void Parses_cluster_role_map(string value, int count)
    {
        Assert.Equal(count, RoleBindingReconcilerOptions.ParseClusterRoles(value).Count);
    }

    [Theory]
    [InlineData("shawarma")]
    [InlineData("=role")]
    [InlineData("shawarma=")]
    [InlineData("shawarma=a,shawarma=b")]
    public void Rejects_bad_cluster_role_map(string value)
    {
        var ex = Assert.Throws<FormatException>(() => RoleBindingReconcilerOptions.ParseClusterRoles(value));
        Assert.Contains("--sidecar-clusterroles", ex.Message);
    }
}
