using k8s;
using k8s.Models;
using TestKit.Kube;
using TestKit.Kube.Simulation;
using TestKit.Time;

namespace TestKit.Tests.Kube;

/// <summary>The reference deployment controller simulation, read with kubectl's rollout-status rules.</summary>
public sealed class DeploymentSimulationTests
{
    [Fact]
    public async Task A_template_patch_rolls_out_over_ticks_and_a_stale_observed_generation_never_reads_done()
    {
        var clock = FakeClock.Create();
        await using var kube = await StandIn.StartAsync(new() { Time = clock });
        var controller = kube.Server.Controllers.Add(new DeploymentControllerSimulation());
        kube.Server.Store.Create(Objects.Deployment("shop", "web", replicas: 2));
        for (var i = 0; i < 20 && !Done(); i++)
        {
            kube.Server.Controllers.Tick();
        }

        Assert.True(Done());

        var patched = await kube.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"metadata":{"annotations":{"restartedAt":"now"}}}}}""", V1Patch.PatchType.MergePatch), "web", "shop");
        Assert.Equal(2, patched.Metadata.Generation);
        // Until the controller observes the new generation the old, complete status must not read as done.
        Assert.Equal("Waiting for deployment spec update to be observed...", Status().Message);
        Assert.Equal(1, controller.RolloutsInFlight);

        var messages = new List<string>();
        for (var i = 0; i < 20 && !Done(); i++)
        {
            kube.Server.Controllers.Tick();
            messages.Add(Status().Message);
        }

        Assert.True(Done(), string.Join("\n", messages));
        Assert.Contains(messages, m => m.Contains("new replicas have been updated", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("old replicas are pending termination", StringComparison.Ordinal));
        var final = await kube.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal(2, final.Status.ObservedGeneration);
        Assert.Equal((2, 2, 2, 2), (final.Status.Replicas, final.Status.UpdatedReplicas, final.Status.ReadyReplicas, final.Status.AvailableReplicas));
        Assert.Equal("NewReplicaSetAvailable", final.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        Assert.Equal(1, controller.MaxRolloutsInFlight);
        Assert.Equal(0, controller.RolloutsInFlight);

        bool Done() => Status().Done;
        (bool Done, string Message, string? Error) Status() =>
            DeploymentControllerSimulation.RolloutStatus(kube.Server.Store.Get(ResourceTypes.Deployment, "shop", "web")!);
    }

    [Fact]
    public async Task A_stalled_rollout_exceeds_its_progress_deadline_on_the_clock()
    {
        var clock = FakeClock.Create();
        await using var kube = await StandIn.StartAsync(new() { Time = clock });
        var controller = kube.Server.Controllers.Add(new DeploymentControllerSimulation(), tickInterval: TimeSpan.FromSeconds(10));
        var deployment = Objects.Deployment("shop", "web");
        deployment["spec"]!["progressDeadlineSeconds"] = 60;
        kube.Server.Store.Create(deployment);
        controller.SetBehavior("shop", "web", RolloutBehavior.Stall);

        clock.AdvanceInSteps(TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(10));
        Assert.Null(Status().Error);
        clock.AdvanceInSteps(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

        Assert.Equal("deployment \"web\" exceeded its progress deadline", Status().Error);
        Assert.Equal("ProgressDeadlineExceeded", (await kube.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop")).Status.Conditions.Single(c => c.Type == "Progressing").Reason);

        (bool Done, string Message, string? Error) Status() =>
            DeploymentControllerSimulation.RolloutStatus(kube.Server.Store.Get(ResourceTypes.Deployment, "shop", "web")!);
    }

    [Fact]
    public async Task Concurrent_rollouts_are_counted()
    {
        await using var kube = await StandIn.StartAsync();
        var controller = kube.Server.Controllers.Add(new DeploymentControllerSimulation());
        foreach (var name in new[] { "a", "b", "c" })
        {
            kube.Server.Store.Create(Objects.Deployment("shop", name, replicas: 1));
        }

        kube.Server.Controllers.Tick(10);
        Assert.Equal(0, controller.RolloutsInFlight);
        Assert.Equal(3, controller.MaxRolloutsInFlight);
        controller.SetBehavior("shop", "c", RolloutBehavior.Ignore);
        kube.Server.Store.Mutate(ResourceTypes.Deployment, "shop", "c", d => d["spec"]!["replicas"] = 2);
        kube.Server.Controllers.Tick(10);
        Assert.Equal(1, controller.RolloutsInFlight);
        Assert.Equal(1, kube.Server.Store.Get(ResourceTypes.Deployment, "shop", "c")!.LongAt("status.observedGeneration"));
    }
}
