using System.Diagnostics;
using Rollout.Tests.Support;
using TestKit.Kube;
using Xunit.Abstractions;

namespace Rollout.Tests.Scale;

/// <summary>
/// 2,000 pods over 200 Deployments in 20 namespaces (10 pods each, injected under the old config; half carry appup,
/// half only shawarma), and the injector's appup image changed: the dry run lists each kind in pages - never a call
/// per workload or per pod - and finds exactly the 100 appup workloads. The numbers go to the test output.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_dry_run_over_2000_pods_lists_in_pages_and_selects_exactly()
    {
        await using var world = await World.StartAsync(tick: TimeSpan.FromHours(1)); // controllers idle: a dry run changes nothing
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        var seeding = Stopwatch.StartNew();
        for (var ns = 0; ns < 20; ns++)
        {
            for (var w = 0; w < 10; w++)
            {
                world.Deployment($"team-{ns:D2}", $"svc-{w}", w % 2 == 0 ? "appup,shawarma" : "shawarma", replicas: 10);
            }
        }

        output.WriteLine($"seeded 2000 pods, 200 Deployments, 200 ReplicaSets in {seeding.Elapsed.TotalSeconds:0.0}s");
        Assert.Equal(2000, world.Kube.Store.List(ResourceTypes.Pod).Count);

        var warm = await CliRun.AgainstAsync(world); // JIT and connection warm-up; not measured
        Assert.True(warm.ExitCode == 0, warm.ToString());
        var lists = new Dictionary<string, int>();
        var times = new Dictionary<string, TimeSpan>();
        foreach (var chunk in new[] { "500", "5000" })
        {
            world.Kube.Requests.Clear();
            var clock = Stopwatch.StartNew();
            var run = await CliRun.AgainstAsync(world, "--chunk-size", chunk, "--log-level", "debug");
            times[chunk] = clock.Elapsed;
            lists[chunk] = world.Kube.Requests.ListCount();

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(100, run.Rows.Count(r => r[^1] == "appup image 0.1.0 -> 0.2.0"));
            Assert.Empty(world.Kube.Requests.Writes());
            Assert.Equal(1, world.Kube.Requests.Count(r => r.Verb == "get")); // the ConfigMap; no read per workload
            output.WriteLine($"--chunk-size {chunk}: {lists[chunk]} list calls ({Describe(world)}), dry run {times[chunk].TotalMilliseconds:0} ms");
            output.WriteLine(run.Error.Split('\n').FirstOrDefault(l => l.Contains("listed ", StringComparison.Ordinal)));
        }

        // pods 2000/500 = 4 pages, ReplicaSets, Deployments, PodDisruptionBudgets 1 page each.
        Assert.Equal(4 + 1 + 1 + 1, lists["500"]);
        Assert.Equal(4, lists["5000"]);
    }

    [Fact]
    public async Task The_number_of_list_calls_does_not_grow_with_the_number_of_workloads()
    {
        var counts = new List<int>();
        foreach (var workloads in new[] { 2, 20, 200 })
        {
            await using var world = await World.StartAsync(tick: TimeSpan.FromHours(1));
            world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
            for (var i = 0; i < workloads; i++)
            {
                world.Deployment($"team-{i % 20:D2}", $"svc-{i}", "appup", replicas: 1);
            }

            var run = await CliRun.AgainstAsync(world);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(workloads, run.Rows.Count(r => r[^1] == "appup image 0.1.0 -> 0.2.0"));
            counts.Add(world.Kube.Requests.ListCount());
        }

        output.WriteLine($"list calls for 2, 20, 200 workloads: {string.Join(", ", counts)}");
        Assert.Single(counts.Distinct());
    }

    private static string Describe(World world) => string.Join(", ", world.Kube.Requests.Where(r => r.Verb == "list")
        .GroupBy(r => r.Resource!.Plural).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
}
