using System.Text.Json.Nodes;
using Canary.Api;
using Canary.Reconciling;
using Canary.Tests.Support;
using k8s;
using k8s.Models;
using TestKit.Kube;

namespace Canary.Tests.Kube;

/// <summary>
/// Objects a CanaryApp would make that already exist and belong to someone else: another CanaryApp whose derived
/// names collide (<c>web</c> makes Service <c>web-primary</c>, which CanaryApp <c>web-primary</c> wants too), or a
/// routing object written by hand. They are never changed, and the CanaryApp says why in its status and an Event
/// (a user looks at <c>kubectl describe canaryapp</c>, not at the controller's log).
/// </summary>
public sealed class OwnershipTests
{
    private static CanaryApp Prom(CanaryApp app, CanaryCluster c)
    {
        app.Spec.PrometheusUrl = c.Prometheus.Url.ToString().TrimEnd('/');
        return app;
    }

    private static V1Condition Condition(CanaryApp app, string type) => Assert.Single(app.Status!.Conditions!, c => c.Type == type);

    [Fact]
    public async Task Two_canary_apps_whose_names_collide_leave_each_other_alone_and_the_second_says_why()
    {
        await using var c = await CanaryCluster.StartAsync();
        await c.CreateAsync(Prom(CanaryCluster.App("web", "example/web:v1"), c));
        await c.RunUntilIdleAsync("web");
        var before = c.Stored(ResourceTypes.Service, "web-primary")!.ToJsonString();

        await c.CreateAsync(Prom(CanaryCluster.App("web-primary", "example/other:v1"), c));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Reconciler.ConflictRetry, await c.Reconcile.ReconcileAsync(CanaryCluster.Ns, "web-primary", CancellationToken.None));
        }

        Assert.Equal(before, c.Stored(ResourceTypes.Service, "web-primary")!.ToJsonString());
        Assert.Null(c.Stored(ResourceTypes.Deployment, "web-primary-primary"));
        var app = await c.GetAsync("web-primary");
        var progressing = Condition(app, ConditionTypes.Progressing);
        Assert.Equal(("False", EventReasons.Conflict), (progressing.Status, progressing.Reason));
        Assert.Contains("Service shop/web-primary exists and is not controlled by this CanaryApp (it has CanaryApp web)", progressing.Message, StringComparison.Ordinal);
        var events = await c.Client.EventsV1.ListNamespacedEventAsync(CanaryCluster.Ns);
        var conflict = Assert.Single(events.Items, e => e.Regarding.Name == "web-primary" && e.Reason == EventReasons.Conflict);
        Assert.Equal("Warning", conflict.Type);

        // The other one is unaffected and keeps working.
        await c.PatchSpecAsync("web", """{"spec":{"image":"example/web:v2"}}""");
        await c.RunUntilIdleAsync("web");
        Assert.Equal(CanaryPhase.Succeeded, (await c.GetAsync("web")).Status!.Phase);
        Assert.Equal("example/web:v2", (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web-primary", CanaryCluster.Ns)).Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task A_virtual_service_written_by_hand_is_not_taken_over()
    {
        await using var c = await CanaryCluster.StartAsync();
        var handMade = new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1",
            ["kind"] = "VirtualService",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = CanaryCluster.Ns },
            ["spec"] = new JsonObject
            {
                ["hosts"] = new JsonArray("web.example.com"),
                ["http"] = new JsonArray(new JsonObject { ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = "legacy" } }) }),
            },
        };
        c.Server.Store.Create(handMade);
        var before = c.Stored(ResourceTypes.IstioVirtualService, "web")!.ToJsonString();

        await c.CreateAsync(Prom(CanaryCluster.App("web", "example/web:v1"), c));
        Assert.Equal(Reconciler.ConflictRetry, await c.Reconcile.ReconcileAsync(CanaryCluster.Ns, "web", CancellationToken.None));
        Assert.Equal(Reconciler.ConflictRetry, await c.Reconcile.ReconcileAsync(CanaryCluster.Ns, "web", CancellationToken.None));

        Assert.Equal(before, c.Stored(ResourceTypes.IstioVirtualService, "web")!.ToJsonString());
        var progressing = Condition(await c.GetAsync("web"), ConditionTypes.Progressing);
        Assert.Equal(EventReasons.Conflict, progressing.Reason);
        Assert.Contains("VirtualService shop/web exists and is not controlled by this CanaryApp (it has no controller)", progressing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_the_colliding_object_is_gone_the_canary_app_proceeds()
    {
        await using var c = await CanaryCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new() { Name = "web-canary" },
            Spec = new() { Selector = new Dictionary<string, string> { ["app"] = "legacy" }, Ports = [new() { Port = 80 }] },
        }, CanaryCluster.Ns);
        await c.CreateAsync(Prom(CanaryCluster.App("web", "example/web:v1"), c));
        var requeue = await c.Reconcile.ReconcileAsync(CanaryCluster.Ns, "web", CancellationToken.None);
        Assert.Equal(Reconciler.ConflictRetry, requeue); // looked at again later: nothing watches the colliding object
        Assert.Equal(EventReasons.Conflict, Condition(await c.GetAsync("web"), ConditionTypes.Progressing).Reason);

        await c.Client.CoreV1.DeleteNamespacedServiceAsync("web-canary", CanaryCluster.Ns);
        await c.RunUntilIdleAsync("web");

        var app = await c.GetAsync("web");
        Assert.Equal(CanaryPhase.Succeeded, app.Status!.Phase);
        Assert.Equal("True", Condition(app, ConditionTypes.Promoted).Status);
        var service = await c.Client.CoreV1.ReadNamespacedServiceAsync("web-canary", CanaryCluster.Ns);
        Assert.Equal(("CanaryApp", "web"), (service.Metadata.OwnerReferences[0].Kind, service.Metadata.OwnerReferences[0].Name));
    }
}
