using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TestKit.Kube;
using TestKit.Kube.Simulation;
using TestKit.Time;

namespace TestKit.Tests.Kube;

/// <summary>The StatefulSet and DaemonSet simulations, tick by tick, read with kubectl's rollout-status rules.</summary>
public sealed class WorkloadSimulationTests
{
    private const string Restart = """{"spec":{"template":{"metadata":{"annotations":{"restartedAt":"now"}}}}}""";

    [Fact]
    public async Task A_StatefulSet_rolls_one_pod_at_a_time_and_a_stale_status_never_reads_done()
    {
        await using var kube = await StandIn.StartAsync(new() { Time = FakeClock.Create() });
        var controller = kube.Server.Controllers.Add(new StatefulSetControllerSimulation());
        kube.Server.Store.Create(Workload("StatefulSet", "pg", replicas: 3));
        Tick(kube, () => Status().Done);

        var patched = await kube.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(Restart, V1Patch.PatchType.MergePatch), "pg", "db");
        Assert.Equal(2, patched.Metadata.Generation);
        Assert.Equal("Waiting for statefulset spec update to be observed...", Status().Message);

        var messages = Tick(kube, () => Status().Done);

        Assert.Contains("Waiting for 1 pods to be ready...", messages);
        Assert.Contains(messages, m => m.StartsWith("Waiting for partitioned roll out to finish: 1 out of 3", StringComparison.Ordinal));
        var final = await kube.Client.AppsV1.ReadNamespacedStatefulSetAsync("pg", "db");
        Assert.Equal((3, 3, 3), (final.Status.ReadyReplicas, final.Status.UpdatedReplicas, final.Status.CurrentReplicas));
        Assert.Equal(final.Status.UpdateRevision, final.Status.CurrentRevision);
        Assert.Equal(1, controller.MaxRolloutsInFlight);

        (bool Done, string Message, string? Error) Status() =>
            StatefulSetControllerSimulation.RolloutStatus(kube.Server.Store.Get(ResourceTypes.StatefulSet, "db", "pg")!);
    }

    [Fact]
    public async Task A_partition_stops_the_StatefulSet_at_its_ordinal_and_OnDelete_never_rolls()
    {
        await using var kube = await StandIn.StartAsync(new() { Time = FakeClock.Create() });
        kube.Server.Controllers.Add(new StatefulSetControllerSimulation());
        kube.Server.Store.Create(Workload("StatefulSet", "staged", replicas: 3, strategy: new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 2 } }));
        kube.Server.Store.Create(Workload("StatefulSet", "manual", replicas: 2, strategy: new JsonObject { ["type"] = "OnDelete" }));
        kube.Server.Controllers.Tick(3);
        await kube.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(Restart, V1Patch.PatchType.MergePatch), "staged", "db");
        await kube.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(Restart, V1Patch.PatchType.MergePatch), "manual", "db");
        kube.Server.Controllers.Tick(20);

        var staged = await kube.Client.AppsV1.ReadNamespacedStatefulSetAsync("staged", "db");
        var manual = await kube.Client.AppsV1.ReadNamespacedStatefulSetAsync("manual", "db");

        Assert.Equal(1, staged.Status.UpdatedReplicas); // only the ordinal above the partition
        Assert.NotEqual(staged.Status.UpdateRevision, staged.Status.CurrentRevision);
        Assert.True(StatefulSetControllerSimulation.RolloutStatus(kube.Server.Store.Get(ResourceTypes.StatefulSet, "db", "staged")!).Done);
        Assert.Equal(2, manual.Status.ObservedGeneration);
        Assert.Equal(0, manual.Status.UpdatedReplicas ?? 0);
        Assert.NotNull(StatefulSetControllerSimulation.RolloutStatus(kube.Server.Store.Get(ResourceTypes.StatefulSet, "db", "manual")!).Error);
    }

    [Fact]
    public async Task A_DaemonSet_replaces_one_node_at_a_time_and_a_stall_never_finishes()
    {
        await using var kube = await StandIn.StartAsync(new() { Time = FakeClock.Create() });
        var controller = kube.Server.Controllers.Add(new DaemonSetControllerSimulation { Nodes = 3 });
        kube.Server.Store.Create(Workload("DaemonSet", "agent"));
        kube.Server.Store.Create(Workload("DaemonSet", "stuck"));
        controller.SetBehavior("db", "stuck", RolloutBehavior.Stall);
        kube.Server.Controllers.Tick(3);
        await kube.Client.AppsV1.PatchNamespacedDaemonSetAsync(new V1Patch(Restart, V1Patch.PatchType.MergePatch), "agent", "db");
        await kube.Client.AppsV1.PatchNamespacedDaemonSetAsync(new V1Patch(Restart, V1Patch.PatchType.MergePatch), "stuck", "db");

        var messages = Tick(kube, () => Status("agent").Done);
        kube.Server.Controllers.Tick(20);

        Assert.Contains("Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated...", messages);
        Assert.Contains("Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available...", messages);
        Assert.Equal("Waiting for daemon set \"stuck\" rollout to finish: 1 out of 3 new pods have been updated...", Status("stuck").Message); // its first replacement never becomes available
        Assert.Equal(2, controller.MaxRolloutsInFlight);

        (bool Done, string Message, string? Error) Status(string name) =>
            DaemonSetControllerSimulation.RolloutStatus(kube.Server.Store.Get(ResourceTypes.DaemonSet, "db", name)!);
    }

    [Fact]
    public async Task The_recorder_counts_rollouts_in_flight_overall_and_per_namespace()
    {
        await using var kube = await StandIn.StartAsync(new() { Time = FakeClock.Create() });
        kube.Server.Controllers.Add(new StatefulSetControllerSimulation());
        var recorder = kube.Server.Controllers.Add(new RolloutsInFlightRecorder());
        foreach (var (ns, name) in new[] { ("a", "one"), ("a", "two"), ("b", "three") })
        {
            kube.Server.Store.Create(Workload("StatefulSet", name, ns: ns));
        }

        kube.Server.Controllers.Tick(3);
        foreach (var (ns, name) in new[] { ("a", "one"), ("a", "two"), ("b", "three") })
        {
            await kube.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(Restart, V1Patch.PatchType.MergePatch), name, ns);
        }

        Assert.Equal(3, recorder.InFlight.Count);
        kube.Server.Controllers.Tick(30);

        Assert.Equal(3, recorder.MaxInFlight);
        Assert.Equal(2, recorder.MaxInFlightInOneNamespace);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, recorder.MaxInFlightPerNamespace);
        Assert.Empty(recorder.InFlight);
    }

    private static List<string> Tick(StandIn kube, Func<bool> done)
    {
        var messages = new List<string>();
        for (var i = 0; i < 40 && !done(); i++)
        {
            kube.Server.Controllers.Tick();
            foreach (var type in new[] { ResourceTypes.StatefulSet, ResourceTypes.DaemonSet })
            {
                foreach (var obj in kube.Server.Store.List(type))
                {
                    messages.Add(type == ResourceTypes.StatefulSet ? StatefulSetControllerSimulation.RolloutStatus(obj).Message : DaemonSetControllerSimulation.RolloutStatus(obj).Message);
                }
            }
        }

        Assert.True(done(), string.Join("\n", messages));
        return messages;
    }

    private static JsonObject Workload(string kind, string name, int replicas = 1, JsonObject? strategy = null, string ns = "db")
    {
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }) },
            },
        };
        if (kind == "StatefulSet")
        {
            spec["replicas"] = replicas;
            spec["serviceName"] = name;
        }

        if (strategy is not null)
        {
            spec["updateStrategy"] = strategy;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }
}
