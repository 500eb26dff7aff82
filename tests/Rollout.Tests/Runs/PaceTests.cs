using Rollout.Tests.Support;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Kube.Simulation;

namespace Rollout.Tests.Runs;

/// <summary>
/// --parallel-rollouts, --max-per-namespace and --max-failures, as the stand-in sees them: its recorder counts the
/// rollouts in flight by kubectl's rules, overall and per namespace. And Ctrl-C with rollouts in flight.
/// </summary>
public sealed class PaceTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 1, 3, 1)]
    [InlineData(4, 2, 4, 2)]
    [InlineData(8, 1, 3, 1)]
    public async Task The_limits_are_honoured_and_reached(int parallel, int perNamespace, int expectedOverall, int expectedPerNamespace)
    {
        await using var world = await World.StartAsync(TimeSpan.FromMilliseconds(40));
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        foreach (var ns in new[] { "a", "b", "c" })
        {
            for (var i = 0; i < 3; i++)
            {
                world.Deployment(ns, $"web{i}", replicas: 5); // ~12 ticks each: long enough to overlap under load
            }
        }

        var run = await CliRun.AgainstAsync(world, "--confirm", "--parallel-rollouts", $"{parallel}", "--max-per-namespace", $"{perNamespace}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(9, world.Kube.Requests.Writes(ResourceTypes.Deployment).Count);
        Assert.Equal(expectedOverall, world.InFlight.MaxInFlight);
        Assert.Equal(expectedPerNamespace, world.InFlight.MaxInFlightInOneNamespace);
    }

    [Fact]
    public async Task After_max_failures_no_new_rollout_starts_and_the_rest_are_reported()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        for (var i = 0; i < 5; i++)
        {
            world.Deployment("shop", $"web{i}");
        }

        world.Kube.Faults.Add(KubeFault.Forbidden(), r => r.Verb == "patch");

        var run = await CliRun.AgainstAsync(world, "--confirm", "--max-failures", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, world.Kube.Requests.Writes(ResourceTypes.Deployment).Count);
        Assert.Contains("2 failed, 3 not started", run.Out, StringComparison.Ordinal);
        Assert.Contains("not started: 2 rollouts failed (--max-failures)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_starts_nothing_new_waits_for_what_is_in_flight_and_reports()
    {
        await using var world = await World.StartAsync(TimeSpan.FromMilliseconds(40));
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        for (var i = 0; i < 4; i++)
        {
            world.Deployment($"ns{i}", "web", replicas: 4);
        }

        using var stop = new CancellationTokenSource();
        var patches = 0;
        world.Kube.Store.Changed += change =>
        {
            if (change.Type.Kind == "Deployment" && change.After.LongAt("metadata.generation") == 2 && change.Before?.LongAt("metadata.generation") == 1 &&
                Interlocked.Increment(ref patches) == 2)
            {
                stop.Cancel(); // SIGINT while two rollouts are in flight
            }
        };

        var run = await CliRun.RunAsync(["--kubeconfig", world.Kubeconfig, "--poll-interval", "50ms", "--confirm", "--parallel-rollouts", "2"], stopStarting: stop.Token);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, world.Kube.Requests.Writes(ResourceTypes.Deployment).Count);
        Assert.Contains("interrupted: no new rollout starts", run.Error, StringComparison.Ordinal);
        Assert.Contains("2 not started, 2 restarted", run.Out, StringComparison.Ordinal);
        Assert.Empty(world.InFlight.InFlight); // the two in flight were waited for until complete
    }

    [Fact]
    public async Task A_second_Ctrl_C_stops_waiting_and_still_reports()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployments.SetBehavior("shop", "web", RolloutBehavior.Ignore);
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        world.Kube.Store.Changed += change =>
        {
            if (change.Type.Kind == "Deployment" && change.After.LongAt("metadata.generation") == 2)
            {
                stop.Cancel();
                abort.CancelAfter(200);
            }
        };

        var run = await CliRun.RunAsync(["--kubeconfig", world.Kubeconfig, "--poll-interval", "50ms", "--confirm", "--timeout", "10m"], stopStarting: stop.Token, abort: abort.Token);

        Assert.Equal(0, run.ExitCode); // the restart was sent: it may still complete, which is not a failure
        Assert.Contains("timed out  Deployment shop/web  interrupted while waiting (may still complete)", run.Out, StringComparison.Ordinal);
    }
}
