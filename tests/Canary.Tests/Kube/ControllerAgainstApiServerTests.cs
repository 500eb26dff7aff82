using System.Net;
using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Reconciling;
using Canary.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using TestKit.Kube;
using TestKit.Prometheus;

namespace Canary.Tests.Kube;

/// <summary>
/// The real reconcile, KubernetesClient and both traffic providers against the stand-in API server (status
/// subresource, JSON patches, generation and the reference deployment controller) and the stand-in Prometheus.
/// </summary>
public sealed class ControllerAgainstApiServerTests
{
    private static CanaryApp Prom(CanaryApp app, CanaryCluster c)
    {
        app.Spec.PrometheusUrl = c.Prometheus.Url.ToString().TrimEnd('/');
        return app;
    }

    private static int Weight(JsonObject? routeOwner, string path)
    {
        var node = routeOwner!;
        JsonNode? cur = node;
        foreach (var part in path.Split('.'))
        {
            cur = int.TryParse(part, out var i) ? cur![i] : cur![part];
        }

        return cur!.GetValue<int>();
    }

    [Fact]
    public async Task Istio_rollout_promotes_and_keeps_fields_it_does_not_manage()
    {
        await using var c = await CanaryCluster.StartAsync();
        await c.CreateAsync(Prom(CanaryCluster.App("web", "example/web:v1"), c));
        await c.RunUntilIdleAsync("web");

        var primary = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web-primary", CanaryCluster.Ns);
        Assert.Equal("example/web:v1", primary.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(8088, primary.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort);
        var owner = Assert.Single(primary.Metadata.OwnerReferences);
        Assert.Equal(("CanaryApp", "web", true), (owner.Kind, owner.Name, owner.Controller == true));
        foreach (var svc in new[] { "web", "web-primary", "web-canary" })
        {
            var s = await c.Client.CoreV1.ReadNamespacedServiceAsync(svc, CanaryCluster.Ns);
            Assert.Equal(8088, s.Spec.Ports[0].TargetPort.Value is var v && int.TryParse(v, out var p) ? p : -1);
        }

        var vs = c.Stored(ResourceTypes.IstioVirtualService, "web")!;
        Assert.Equal("web", vs["spec"]!["hosts"]![0]!.GetValue<string>());
        Assert.Equal(100, Weight(vs, "spec.http.0.route.0.weight"));
        Assert.Equal("primary", vs["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]!.GetValue<string>());
        var dr = c.Stored(ResourceTypes.IstioDestinationRule, "web")!;
        Assert.Equal("canary", dr["spec"]!["subsets"]![1]!["labels"]![CanaryAnnotations.RoleLabel]!.GetValue<string>());
        var app = await c.GetAsync("web");
        Assert.Equal(CanaryPhase.Succeeded, app.Status!.Phase);

        // Someone adds retries to our route, a label and a subset of their own: these must survive every update.
        await c.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(
            """[{"op":"add","path":"/spec/http/0/retries","value":{"attempts":3}},{"op":"add","path":"/metadata/labels/team","value":"shop"}]""",
            V1Patch.PatchType.JsonPatch), "networking.istio.io", "v1", CanaryCluster.Ns, "virtualservices", "web");
        await c.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(
            """[{"op":"add","path":"/spec/subsets/-","value":{"name":"debug","labels":{"debug":"true"}}},{"op":"add","path":"/spec/trafficPolicy","value":{"tls":{"mode":"ISTIO_MUTUAL"}}}]""",
            V1Patch.PatchType.JsonPatch), "networking.istio.io", "v1", CanaryCluster.Ns, "destinationrules", "web");

        var weights = new List<int>();
        await c.PatchSpecAsync("web", """{"spec":{"image":"example/web:v2"}}""");
        await c.RunUntilIdleAsync("web", stopWhen: () =>
        {
            var w = Weight(c.Stored(ResourceTypes.IstioVirtualService, "web"), "spec.http.0.route.1.weight");
            if (weights.Count == 0 || weights[^1] != w)
            {
                weights.Add(w);
            }

            return false;
        });

        Assert.Equal([0, 10, 20, 30, 40, 50, 0], weights);
        Assert.Equal(5, c.Prometheus.Queries.Count);
        Assert.All(c.Prometheus.Queries, q => Assert.Contains("destination_service_name=\"web\"", q.Query, StringComparison.Ordinal));
        primary = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web-primary", CanaryCluster.Ns);
        Assert.Equal("example/web:v2", primary.Spec.Template.Spec.Containers[0].Image);
        var canary = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web-canary", CanaryCluster.Ns);
        Assert.Equal(0, canary.Spec.Replicas);

        vs = c.Stored(ResourceTypes.IstioVirtualService, "web")!;
        Assert.Equal(3, vs["spec"]!["http"]![0]!["retries"]!["attempts"]!.GetValue<int>());
        Assert.Equal("shop", vs["metadata"]!["labels"]!["team"]!.GetValue<string>());
        dr = c.Stored(ResourceTypes.IstioDestinationRule, "web")!;
        Assert.Equal(3, dr["spec"]!["subsets"]!.AsArray().Count);
        Assert.Equal("ISTIO_MUTUAL", dr["spec"]!["trafficPolicy"]!["tls"]!["mode"]!.GetValue<string>());

        // Routing objects were patched, never replaced.
        Assert.DoesNotContain(c.Server.Requests.All, r => r.Method == "PUT" && (r.Is(ResourceTypes.IstioVirtualService) || r.Is(ResourceTypes.IstioDestinationRule)));

        app = await c.GetAsync("web");
        Assert.Equal(CanaryPhase.Succeeded, app.Status!.Phase);
        var promoted = app.Status.Conditions!.Single(x => x.Type == ConditionTypes.Promoted);
        Assert.Equal(("True", app.Metadata.Generation), (promoted.Status, promoted.ObservedGeneration));

        var events = await c.Client.EventsV1.ListNamespacedEventAsync(CanaryCluster.Ns);
        var reasons = events.Items.Where(e => e.Regarding.Name == "web").Select(e => e.Reason).ToList();
        Assert.Contains(EventReasons.Advance, reasons);
        Assert.Contains(EventReasons.Promote, reasons);
        Assert.Contains(EventReasons.Promoted, reasons);
        Assert.All(events.Items, e => Assert.Equal("canary.sidecars.dev/canary-controller", e.ReportingController));
    }

    [Fact]
    public async Task Gateway_api_rollback_on_a_value_outside_the_range_records_the_image()
    {
        await using var c = await CanaryCluster.StartAsync();
        var app = Prom(CanaryCluster.App("shop", "example/shop:1", s =>
        {
            s.PrometheusQuery = "sum(rate(errors{service=\"shop-canary\"}[1m])) / sum(rate(requests{service=\"shop-canary\"}[1m]))";
            s.ThresholdRange = new ThresholdRange { Max = 0.1 };
            s.Threshold = 2;
            s.Traffic = new TrafficSpec { Provider = TrafficProviderKind.GatewayApi, Hosts = ["shop.example.com"], ParentRefs = [new ParentReference { Name = "public", Namespace = "gateways" }] };
        }), c);
        await c.CreateAsync(app);
        await c.RunUntilIdleAsync("shop");

        var route = c.Stored(ResourceTypes.HttpRoute, "shop")!;
        Assert.Equal("public", route["spec"]!["parentRefs"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("shop.example.com", route["spec"]!["hostnames"]![0]!.GetValue<string>());
        var refs = route["spec"]!["rules"]![0]!["backendRefs"]!;
        Assert.Equal(("shop-primary", 100), (refs[0]!["name"]!.GetValue<string>(), refs[0]!["weight"]!.GetValue<int>()));
        Assert.Equal(("shop-canary", 0), (refs[1]!["name"]!.GetValue<string>(), refs[1]!["weight"]!.GetValue<int>()));

        c.Prometheus.Default = PrometheusResponse.Value(0.5);
        await c.PatchSpecAsync("shop", """{"spec":{"image":"example/shop:2"}}""");
        await c.RunUntilIdleAsync("shop");

        var stored = await c.GetAsync("shop");
        Assert.Equal(CanaryPhase.Failed, stored.Status!.Phase);
        var failed = Assert.Single(stored.Status.FailedImages!);
        Assert.Equal(("example/shop:2", "FailedChecks"), (failed.Image, failed.Reason));
        Assert.Equal("0.5", stored.Status.LastAnalysis!.Value);
        Assert.Equal("Fail", stored.Status.LastAnalysis.Verdict);
        refs = c.Stored(ResourceTypes.HttpRoute, "shop")!["spec"]!["rules"]![0]!["backendRefs"]!;
        Assert.Equal((100, 0), (refs[0]!["weight"]!.GetValue<int>(), refs[1]!["weight"]!.GetValue<int>()));
        Assert.Equal(0, (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("shop-canary", CanaryCluster.Ns)).Spec.Replicas);
        Assert.Equal("example/shop:1", (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("shop-primary", CanaryCluster.Ns)).Spec.Template.Spec.Containers[0].Image);

        var events = await c.Client.EventsV1.ListNamespacedEventAsync(CanaryCluster.Ns);
        var rollback = Assert.Single(events.Items, e => e.Reason == EventReasons.Rollback);
        Assert.Equal("Warning", rollback.Type);
        Assert.Contains("value: 0.5", rollback.Note, StringComparison.Ordinal);
        Assert.Contains("verdict: Fail", rollback.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_write_conflict_is_an_error_and_the_next_reconcile_succeeds()
    {
        await using var c = await CanaryCluster.StartAsync();
        await c.CreateAsync(Prom(CanaryCluster.App("web", "example/web:v1"), c));
        var raced = false;
        c.Decorate(world => new RacingWorld(world, async () =>
        {
            if (!raced)
            {
                raced = true;
                await c.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch),
                    CanaryApp.Group, CanaryApp.Version, CanaryCluster.Ns, CanaryApp.Plural, "web");
            }
        }));
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => c.Reconcile.ReconcileAsync(CanaryCluster.Ns, "web", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Null((await c.GetAsync("web")).Status);

        await c.RunUntilIdleAsync("web");
        var app = await c.GetAsync("web");
        Assert.Equal(CanaryPhase.Succeeded, app.Status!.Phase);
        Assert.Equal("yes", app.Metadata.Labels["touched"]);
    }

    [Fact]
    public async Task A_deployment_of_the_same_name_owned_by_someone_else_is_not_touched()
    {
        await using var c = await CanaryCluster.StartAsync();
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new() { Name = "web-primary" },
            Spec = new()
            {
                Selector = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "other" } },
                Template = new() { Metadata = new() { Labels = new Dictionary<string, string> { ["app"] = "other" } }, Spec = new() { Containers = [new() { Name = "x", Image = "other:1" }] } },
            },
        }, CanaryCluster.Ns);
        await c.CreateAsync(Prom(CanaryCluster.App("web", "example/web:v1"), c));
        Assert.Equal(Reconciler.ConflictRetry, await c.Reconcile.ReconcileAsync(CanaryCluster.Ns, "web", CancellationToken.None));
        var progressing = (await c.GetAsync("web")).Status!.Conditions!.Single(x => x.Type == ConditionTypes.Progressing);
        Assert.Equal(EventReasons.Conflict, progressing.Reason);
        Assert.Contains("not controlled by this CanaryApp", progressing.Message, StringComparison.Ordinal);
        Assert.Equal("other:1", (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web-primary", CanaryCluster.Ns)).Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Sidecar_annotations_of_the_app_reach_the_pod_templates_and_gates_do_not()
    {
        await using var c = await CanaryCluster.StartAsync();
        var app = Prom(CanaryCluster.App("web", "example/web:v1"), c);
        app.Metadata.Annotations = new Dictionary<string, string>
        {
            ["sidecars.dev/inject"] = "appup,shawarma",
            ["shawarma.sidecars.dev/service"] = "web",
            ["sidecars.dev/status"] = "{\"forged\":true}",
            [CanaryAnnotations.Retry] = "true",
            ["unrelated.example.com/x"] = "y",
        };
        await c.CreateAsync(app);
        await c.RunUntilIdleAsync("web");
        var template = (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web-primary", CanaryCluster.Ns)).Spec.Template.Metadata.Annotations;
        Assert.Equal("appup,shawarma", template["sidecars.dev/inject"]);
        Assert.Equal("web", template["shawarma.sidecars.dev/service"]);
        Assert.False(template.ContainsKey("sidecars.dev/status"));
        Assert.False(template.ContainsKey(CanaryAnnotations.Retry));
        Assert.False(template.ContainsKey("unrelated.example.com/x"));
    }

    /// <summary>Runs a concurrent change just before the status write.</summary>
    private sealed class RacingWorld(ICanaryWorld inner, Func<Task> race) : ICanaryWorld
    {
        public Task<Observation?> ObserveAsync(string namespaceName, string name, DateTimeOffset now, CancellationToken cancellationToken) => inner.ObserveAsync(namespaceName, name, now, cancellationToken);

        public Task ExecuteAsync(CanaryApp app, CanaryAction action, CancellationToken cancellationToken) => inner.ExecuteAsync(app, action, cancellationToken);

        public async Task WriteStatusAsync(CanaryApp app, CanaryAppStatus status, CancellationToken cancellationToken)
        {
            await race();
            await inner.WriteStatusAsync(app, status, cancellationToken);
        }
    }
}
