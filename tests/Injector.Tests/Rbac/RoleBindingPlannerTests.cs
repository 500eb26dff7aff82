using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Rbac;

namespace Injector.Tests.Rbac;

public sealed class RoleBindingPlannerTests
{
    private static readonly IReadOnlyDictionary<string, string> Roles =
        RoleBindingReconcilerOptions.ParseClusterRoles("shawarma=injector-shawarma,proa=injector-proa");

    internal static JsonElement Pod(string ns, string name, string? serviceAccount, string? status)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["sidecars.dev/injected"] = "true" } };
        if (status is not null)
        {
            metadata["annotations"] = new JsonObject { ["sidecars.dev/status"] = status };
        }

        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) };
        if (serviceAccount is not null)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        return Element(new JsonObject { ["metadata"] = metadata, ["spec"] = spec });
    }

    private static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

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
        Assert.Equal(("rbac.authorization.k8s.io/v1", "RoleBinding"), ((string?)rb["apiVersion"], (string?)rb["kind"]));
        Assert.Equal(("sidecars-dev-proa-w", "a"), ((string?)rb["metadata"]!["name"], (string?)rb["metadata"]!["namespace"]));
        Assert.Equal("sidecars-injector", (string?)rb["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("proa", (string?)rb["metadata"]!["labels"]!["sidecars.dev/sidecar"]);
        Assert.Equal(("ClusterRole", "injector-proa", "rbac.authorization.k8s.io"), ((string?)rb["roleRef"]!["kind"], (string?)rb["roleRef"]!["name"], (string?)rb["roleRef"]!["apiGroup"]));
        var s = Assert.Single(rb["subjects"]!.AsArray())!;
        Assert.Equal(("ServiceAccount", "w", "a"), ((string?)s["kind"], (string?)s["name"], (string?)s["namespace"]));
    }

    [Fact]
    public void Decide_covers_ours_foreign_drifted_and_immutable_role_ref()
    {
        var d = new DesiredRoleBinding("a", "sidecars-dev-proa-w", "w", "proa", "injector-proa");
        Assert.Equal(ExistingBindingAction.UpToDate, RoleBindingPlanner.Decide(Element(RoleBindingPlanner.Build(d)), d));

        var foreign = RoleBindingPlanner.Build(d);
        foreign["metadata"]!["labels"]!.AsObject().Remove("app.kubernetes.io/managed-by");
        Assert.Equal(ExistingBindingAction.Foreign, RoleBindingPlanner.Decide(Element(foreign), d));
        foreign["metadata"]!["labels"] = null;
        Assert.Equal(ExistingBindingAction.Foreign, RoleBindingPlanner.Decide(Element(foreign), d));
        Assert.Equal(ExistingBindingAction.Foreign, RoleBindingPlanner.Decide(Element(JsonNode.Parse("[1]")!), d));

        var drifted = RoleBindingPlanner.Build(d);
        drifted["subjects"]!.AsArray().Add(new JsonObject { ["kind"] = "User", ["name"] = "mallory" });
        Assert.Equal(ExistingBindingAction.Update, RoleBindingPlanner.Decide(Element(drifted), d));

        var relabelled = RoleBindingPlanner.Build(d);
        relabelled["metadata"]!["labels"]!["sidecars.dev/sidecar"] = "shawarma";
        Assert.Equal(ExistingBindingAction.Update, RoleBindingPlanner.Decide(Element(relabelled), d));

        var otherRole = RoleBindingPlanner.Build(d with { ClusterRole = "old-proa" });
        Assert.Equal(ExistingBindingAction.RoleRefMismatch, RoleBindingPlanner.Decide(Element(otherRole), d));
    }

    [Fact]
    public void Merge_keeps_resource_version_foreign_labels_and_fields_it_does_not_model()
    {
        var d = new DesiredRoleBinding("a", "sidecars-dev-proa-w", "w", "proa", "injector-proa");
        var existing = RoleBindingPlanner.Build(d);
        existing["metadata"]!["resourceVersion"] = "42";
        existing["metadata"]!["labels"]!["team"] = "payments";
        existing["metadata"]!["annotations"] = new JsonObject { ["note"] = "keep me" };
        existing["subjects"] = new JsonArray();
        var merged = RoleBindingPlanner.Merge(Element(existing), d);
        Assert.Equal("42", (string?)merged["metadata"]!["resourceVersion"]);
        Assert.Equal("payments", (string?)merged["metadata"]!["labels"]!["team"]);
        Assert.Equal("keep me", (string?)merged["metadata"]!["annotations"]!["note"]);
        Assert.Equal("w", (string?)Assert.Single(merged["subjects"]!.AsArray())!["name"]);
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
