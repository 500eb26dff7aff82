using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TestKit.Kube;

namespace TestKit.Tests.Kube;

/// <summary>Create, update, patch and delete with the API server's rules, driven by KubernetesClient.</summary>
public sealed class WriteTests
{
    private static V1Patch Merge(string json) => new(json, V1Patch.PatchType.MergePatch);

    private static V1Patch Strategic(string json) => new(json, V1Patch.PatchType.StrategicMergePatch);

    private static V1Patch JsonPatch(string json) => new(json, V1Patch.PatchType.JsonPatch);

    private static async Task<V1Deployment> CreateDeploymentAsync(StandIn kube, string name = "web") =>
        await kube.Client.AppsV1.CreateNamespacedDeploymentAsync(
            KubernetesJson.Deserialize<V1Deployment>(Objects.Deployment("shop", name).ToJsonString()), "shop");

    [Fact]
    public async Task Create_fills_identity_defaults_generation_and_answers_409_and_404()
    {
        await using var kube = await StandIn.StartAsync();
        var created = await CreateDeploymentAsync(kube);

        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(kube.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Equal(600, created.Spec.ProgressDeadlineSeconds);
        Assert.Equal("RollingUpdate", created.Spec.Strategy.Type);
        Assert.Equal("IfNotPresent", created.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("Always", created.Spec.Template.Spec.RestartPolicy);

        var again = await Assert.ThrowsAsync<HttpOperationException>(() => CreateDeploymentAsync(kube));
        Assert.Equal(HttpStatusCode.Conflict, again.Response.StatusCode);
        var status = JsonNode.Parse(again.Response.Content)!;
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("deployments.apps \"web\" already exists", (string?)status["message"]);
        Assert.Equal("apps", (string?)status["details"]!["group"]);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.AppsV1.ReadNamespacedDeploymentAsync("nope", "shop"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("deployments.apps \"nope\" not found", (string?)JsonNode.Parse(missing.Response.Content)!["message"]);
    }

    [Fact]
    public async Task Generate_name_and_missing_names_follow_the_server()
    {
        await using var kube = await StandIn.StartAsync();
        var created = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cfg-" } }, "shop");
        Assert.Matches("^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);

        var nameless = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta() }, "shop"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nameless.Response.StatusCode);
        Assert.Contains("name or generateName is required", nameless.Response.Content, StringComparison.Ordinal);

        var badName = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Bad_Name" } }, "shop"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.Response.StatusCode);
        Assert.Equal("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            (string?)JsonNode.Parse(badName.Response.Content)!["message"]);
    }

    [Fact]
    public async Task A_stale_resource_version_in_an_update_answers_409_conflict()
    {
        await using var kube = await StandIn.StartAsync();
        var first = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "shop");
        first.Data["a"] = "2";
        var second = await kube.Client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "cfg", "shop");
        Assert.NotEqual(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);

        first.Data["a"] = "3"; // still carries the old resourceVersion
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "cfg", "shop"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var status = JsonNode.Parse(conflict.Response.Content)!;
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"cfg\": the object has been modified; please apply your changes to the latest version and try again", (string?)status["message"]);
        Assert.Equal("2", (await kube.Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", "shop")).Data["a"]);

        var patchConflict = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.CoreV1.PatchNamespacedConfigMapAsync(Merge($$$"""{"metadata":{"resourceVersion":"{{{first.Metadata.ResourceVersion}}}"},"data":{"a":"4"}}"""), "cfg", "shop"));
        Assert.Equal(HttpStatusCode.Conflict, patchConflict.Response.StatusCode);
    }

    [Fact]
    public async Task A_no_op_update_writes_nothing()
    {
        await using var kube = await StandIn.StartAsync();
        var created = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "shop");
        var rv = kube.Server.Store.ResourceVersion;

        var patched = await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(Merge("""{"data":{"a":"1"}}"""), "cfg", "shop");

        Assert.Equal(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
        Assert.Equal(rv, kube.Server.Store.ResourceVersion);
    }

    [Fact]
    public async Task Deployment_generation_moves_on_spec_and_annotation_changes_only()
    {
        await using var kube = await StandIn.StartAsync();
        await CreateDeploymentAsync(kube);

        async Task<long?> GenerationAfter(V1Patch patch) => (await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "web", "shop")).Metadata.Generation;

        Assert.Equal(1, await GenerationAfter(Merge("""{"metadata":{"labels":{"team":"a"}}}""")));
        Assert.Equal(2, await GenerationAfter(Merge("""{"spec":{"template":{"metadata":{"annotations":{"sidecarRollout.rollout.timestamp":"2025-05-01T10:00:00.123Z"}}}}}""")));
        Assert.Equal(3, await GenerationAfter(Merge("""{"spec":{"replicas":5}}""")));
        // The deployment strategy also bumps on annotation changes (they are copied to ReplicaSets).
        Assert.Equal(4, await GenerationAfter(Merge("""{"metadata":{"annotations":{"note":"x"}}}""")));
        Assert.Equal(4, await GenerationAfter(Merge("""{"spec":{"replicas":5}}""")));
        // Status writes never move it.
        var status = await kube.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(Merge("""{"status":{"observedGeneration":4,"replicas":5}}"""), "web", "shop");
        Assert.Equal(4, status.Metadata.Generation);

        var statefulSet = Objects.Deployment("shop", "db");
        statefulSet["kind"] = "StatefulSet";
        kube.Server.Store.Create(statefulSet);
        var sts = await kube.Client.AppsV1.PatchNamespacedStatefulSetAsync(Merge("""{"metadata":{"annotations":{"note":"x"}}}"""), "db", "shop");
        Assert.Equal(1, sts.Metadata.Generation);
    }

    [Fact]
    public async Task Status_is_written_only_through_the_status_subresource()
    {
        await using var kube = await StandIn.StartAsync();
        await CreateDeploymentAsync(kube);

        var main = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""{"spec":{"replicas":4},"status":{"replicas":99}}"""), "web", "shop");
        Assert.Equal(4, main.Spec.Replicas);
        Assert.Null(main.Status.Replicas);

        var status = await kube.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(Merge("""{"spec":{"replicas":1},"status":{"replicas":7}}"""), "web", "shop");
        Assert.Equal(7, status.Status.Replicas);
        Assert.Equal(4, status.Spec.Replicas);

        var read = await kube.Client.AppsV1.ReadNamespacedDeploymentStatusAsync("web", "shop");
        Assert.Equal(7, read.Status.Replicas);
    }

    [Fact]
    public async Task Strategic_merge_patches_merge_lists_by_their_keys()
    {
        await using var kube = await StandIn.StartAsync();
        await CreateDeploymentAsync(kube);

        var patched = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(Strategic("""
            {"spec":{"template":{"spec":{
              "containers":[{"name":"app","image":"app:2","env":[{"name":"B","value":"2"}]},{"name":"sidecar","$patch":"delete"},{"name":"extra","image":"extra:1"}],
              "volumes":[{"name":"cache","emptyDir":{}}]}}}}
            """), "web", "shop");

        var containers = patched.Spec.Template.Spec.Containers;
        Assert.Equal(["app", "extra"], containers.Select(c => c.Name));
        Assert.Equal("app:2", containers[0].Image);
        Assert.Equal(["A", "B"], containers[0].Env.Select(e => e.Name));
        Assert.Equal(["data", "cache"], patched.Spec.Template.Spec.Volumes.Select(v => v.Name));

        var replaced = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(Strategic("""
            {"spec":{"template":{"spec":{"volumes":[{"$patch":"replace"},{"name":"only","emptyDir":{}}]}}}}
            """), "web", "shop");
        Assert.Equal(["only"], replaced.Spec.Template.Spec.Volumes.Select(v => v.Name));
    }

    [Fact]
    public async Task Merge_patches_replace_lists_and_null_deletes()
    {
        await using var kube = await StandIn.StartAsync();
        await CreateDeploymentAsync(kube);

        var patched = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""
            {"metadata":{"labels":{"app":null,"new":"1"}},"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x:1"}]}}}}
            """), "web", "shop");

        Assert.Equal(["only"], patched.Spec.Template.Spec.Containers.Select(c => c.Name));
        Assert.Equal(new Dictionary<string, string> { ["new"] = "1" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task Json_patches_apply_atomically_and_a_failed_test_answers_422()
    {
        await using var kube = await StandIn.StartAsync();
        await CreateDeploymentAsync(kube);

        var patched = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(JsonPatch("""
            [{"op":"test","path":"/spec/replicas","value":3},
             {"op":"replace","path":"/spec/replicas","value":2},
             {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"late","image":"late:1"}},
             {"op":"add","path":"/metadata/annotations","value":{"a~b/c":"1"}}]
            """), "web", "shop");
        Assert.Equal(2, patched.Spec.Replicas);
        Assert.Equal("late", patched.Spec.Template.Spec.Containers[^1].Name);

        var failed = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.AppsV1.PatchNamespacedDeploymentAsync(JsonPatch("""
            [{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":3}]
            """), "web", "shop"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.Response.StatusCode);
        Assert.Contains("test failed", failed.Response.Content, StringComparison.Ordinal);
        Assert.Equal(2, (await kube.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop")).Spec.Replicas);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.AppsV1.PatchNamespacedDeploymentAsync(JsonPatch("""
            [{"op":"remove","path":"/spec/nothing"}]
            """), "web", "shop"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Dry_run_validates_and_answers_but_stores_nothing()
    {
        await using var kube = await StandIn.StartAsync();
        await CreateDeploymentAsync(kube);
        var rv = kube.Server.Store.ResourceVersion;

        var patched = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""{"spec":{"replicas":9}}"""), "web", "shop", dryRun: "All");
        Assert.Equal(9, patched.Spec.Replicas);
        Assert.Equal(2, patched.Metadata.Generation);
        var created = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dry" } }, "shop", dryRun: "All");
        Assert.Equal("dry", created.Metadata.Name);
        await kube.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "shop", dryRun: "All");

        Assert.Equal(rv, kube.Server.Store.ResourceVersion);
        Assert.Equal(3, (await kube.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop")).Spec.Replicas);
        Assert.Null(kube.Server.Store.Get(ResourceTypes.ConfigMap, "shop", "dry"));

        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""{"spec":{"selector":{"matchLabels":{"app":"other"}}}}"""), "web", "shop", dryRun: "All"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Response.StatusCode);
    }

    [Fact]
    public async Task Finalizers_hold_a_deleted_object_until_they_are_removed()
    {
        await using var kube = await StandIn.StartAsync();
        await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] } }, "shop");

        await kube.Client.CoreV1.DeleteNamespacedConfigMapAsync("held", "shop");
        var marked = await kube.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "shop");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        await kube.Client.CoreV1.PatchNamespacedConfigMapAsync(Merge("""{"metadata":{"finalizers":null}}"""), "held", "shop");
        Assert.Null(kube.Server.Store.Get(ResourceTypes.ConfigMap, "shop", "held"));
    }

    [Fact]
    public async Task Deleting_an_owner_deletes_its_dependents_unless_orphaned()
    {
        await using var kube = await StandIn.StartAsync();
        var owner = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "shop");
        V1ConfigMap Dependent(string name) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        };
        await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("child"), "shop");

        await kube.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "shop");

        Assert.Empty(kube.Server.Store.List(ResourceTypes.ConfigMap, "shop"));
        var second = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "shop");
        owner = second;
        await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("kept"), "shop");
        await kube.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "shop", propagationPolicy: "Orphan");
        Assert.NotNull(kube.Server.Store.Get(ResourceTypes.ConfigMap, "shop", "kept"));
    }

    [Fact]
    public async Task Leases_and_events_in_both_api_groups_work()
    {
        await using var kube = await StandIn.StartAsync();
        var lease = await kube.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow },
        }, "shop");
        lease.Spec.HolderIdentity = "b";
        var taken = await kube.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", "shop");
        Assert.Equal("b", taken.Spec.HolderIdentity);
        Assert.Null(taken.Metadata.Generation);
        lease.Spec.HolderIdentity = "c"; // stale: a second replica loses the race
        Assert.Equal(HttpStatusCode.Conflict, (await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", "shop"))).Response.StatusCode);

        await kube.Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "web." },
            EventTime = DateTime.UtcNow,
            ReportingController = "sidecars.dev/rollout",
            ReportingInstance = "rollout-0",
            Action = "Restart",
            Reason = "Restarted",
            Type = "Normal",
            Note = "restarted to update appup",
            Regarding = new V1ObjectReference { Kind = "Deployment", Name = "web", NamespaceProperty = "shop" },
        }, "shop");
        var core = Assert.Single((await kube.Client.CoreV1.ListNamespacedEventAsync("shop")).Items);
        Assert.Equal("restarted to update appup", core.Message);
        Assert.Equal("web", core.InvolvedObject.Name);
        Assert.Equal("sidecars.dev/rollout", core.ReportingComponent);

        var incomplete = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "bad" },
            Reason = "x",
        }, "shop"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, incomplete.Response.StatusCode);
    }
}
