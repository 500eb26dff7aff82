using System.Text.Json.Nodes;
using Rollout.Tests.Support;
using TestKit.Kube;

namespace Rollout.Tests.Runs;

/// <summary>What is skipped before anything changes (and why), and what is warned about.</summary>
public sealed class PlanningTests
{
    [Fact]
    public async Task Paused_OnDelete_and_partitioned_workloads_are_skipped_with_the_reason_not_hung()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "paused", customize: d => d.Set("spec.paused", true));
        world.StatefulSet("db", "ondelete", customize: s => s.Set("spec.updateStrategy", new JsonObject { ["type"] = "OnDelete" }));
        world.StatefulSet("db", "staged", replicas: 3, customize: s => s.Set("spec.updateStrategy", new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 2 } }));
        world.DaemonSet("ops", "agent", customize: d => d.Set("spec.updateStrategy", new JsonObject { ["type"] = "OnDelete" }));
        world.Deployment("shop", "web");

        var run = await CliRun.AgainstAsync(world, "--confirm", "--include-statefulset", "--include-daemonset", "--timeout", "30s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("paused (spec.paused)", run.Detail("skipped", "Deployment shop/paused"), StringComparison.Ordinal);
        Assert.StartsWith("updateStrategy OnDelete", run.Detail("skipped", "StatefulSet db/ondelete"), StringComparison.Ordinal);
        Assert.StartsWith("rollingUpdate.partition is 2", run.Detail("skipped", "StatefulSet db/staged"), StringComparison.Ordinal);
        Assert.StartsWith("updateStrategy OnDelete", run.Detail("skipped", "DaemonSet ops/agent"), StringComparison.Ordinal);
        Assert.NotNull(run.Detail("restarted", "Deployment shop/web"));
        Assert.Equal(["web"], world.Kube.Requests.Writes().Select(w => w.Name));
    }

    [Fact]
    public async Task A_budget_that_allows_no_disruption_and_an_unhealthy_workload_are_warned_about_first()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("shop", "cart");
        world.Deployments.SetBehavior("shop", "cart", TestKit.Kube.Simulation.RolloutBehavior.Ignore); // it would heal the status below
        world.Kube.Store.Mutate(ResourceTypes.Deployment, "shop", "cart", d => d.Set("status.availableReplicas", 1), "status");
        world.Kube.Store.Create(new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = "web-pdb", ["namespace"] = "shop" },
            ["spec"] = new JsonObject { ["minAvailable"] = 2, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } } },
        });
        world.Kube.Store.Mutate(ResourceTypes.PodDisruptionBudget, "shop", "web-pdb", p => p["status"] = new JsonObject
        {
            ["currentHealthy"] = 2, ["desiredHealthy"] = 2, ["disruptionsAllowed"] = 0, ["expectedPods"] = 2, ["observedGeneration"] = 1,
        }, "status");

        var run = await CliRun.AgainstAsync(world);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("WARN  Deployment shop/web: PodDisruptionBudget web-pdb allows no disruptions now (2 healthy, 2 required)", run.Error, StringComparison.Ordinal);
        Assert.Contains("WARN  Deployment shop/cart: already unhealthy before the restart: 1 of 2 replicas available", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_whose_pods_the_injector_would_now_deny_is_not_restarted()
    {
        await using var world = await World.StartAsync();
        // An annotation an older injector let through and the current one refuses (a port out of range): restarting
        // would leave the Deployment unable to create pods.
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Store.Mutate(ResourceTypes.Pod, "shop", "web-5d8f9-0", p => ((JsonObject)p.At("metadata.annotations")!)[AnnotationKeys.AppUpPort] = "99999");

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Detail("skipped", "Deployment shop/web")?.StartsWith("the injector would now deny its pods", StringComparison.Ordinal), run.ToString());
        Assert.Empty(world.Kube.Requests.Writes());
    }
}
