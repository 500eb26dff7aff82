using Rollout.Selection;
using Rollout.Watch;

namespace Rollout.Tests.Watch;

/// <summary>The watch's pace, decision by decision on a made-up clock.</summary>
public sealed class WatchSchedulerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly WatchPace Pace = new(Interval: TimeSpan.FromMinutes(1), Cooldown: TimeSpan.FromHours(1), Settle: TimeSpan.FromMinutes(2), Timeout: TimeSpan.FromMinutes(5), Parallel: 2);

    [Fact]
    public void Nothing_before_a_config_nor_before_it_settled()
    {
        var state = new WatchState();
        Assert.Equal(new WatchDecision.Wait(null, "no injector config loaded yet"), WatchScheduler.Next(state, Outdated("a/web"), Pace, T0));

        state.UseRevision("r1", T0);
        var wait = Assert.IsType<WatchDecision.Wait>(WatchScheduler.Next(state, Outdated("a/web"), Pace, T0.AddMinutes(1)));
        Assert.Equal(T0.AddMinutes(2), wait.Until);
        Assert.IsType<WatchDecision.Start>(WatchScheduler.Next(state, Outdated("a/web"), Pace, T0.AddMinutes(2)));
    }

    [Fact]
    public void Starts_are_an_interval_apart_one_per_namespace_and_at_most_parallel()
    {
        var state = Loaded();
        var outdated = Outdated("a/api", "a/web", "b/web", "c/web");
        var now = T0.AddMinutes(2);

        Assert.Equal("a/api", Started(state, outdated, now));
        var pacing = Assert.IsType<WatchDecision.Wait>(WatchScheduler.Next(state, outdated, Pace, now.AddSeconds(10)));
        Assert.Equal(now.AddMinutes(1), pacing.Until);
        Assert.Equal("b/web", Started(state, outdated, now.AddMinutes(1))); // a/web waits: a/api holds namespace a
        Assert.Equal(new WatchDecision.Wait(null, "2 restarts in flight"), WatchScheduler.Next(state, outdated, Pace, now.AddMinutes(5)));

        state.InFlight.Remove(new WorkloadRef(WorkloadKind.Deployment, "a", "api"));
        Assert.Equal("a/web", Started(state, outdated, now.AddMinutes(5)));
    }

    [Fact]
    public void A_workload_restarts_at_most_once_per_cooldown()
    {
        var state = Loaded();
        var web = new WorkloadRef(WorkloadKind.Deployment, "a", "web");
        state.Seen(web, T0.AddMinutes(-30), null); // a person ran the CLI half an hour ago

        var wait = Assert.IsType<WatchDecision.Wait>(WatchScheduler.Next(state, Outdated("a/web"), Pace, T0.AddMinutes(2)));

        Assert.Equal(T0.AddMinutes(30), wait.Until);
        Assert.IsType<WatchDecision.Start>(WatchScheduler.Next(state, Outdated("a/web"), Pace, T0.AddMinutes(30)));
    }

    [Fact]
    public void A_settled_restart_under_this_config_that_left_it_outdated_is_not_repeated_until_the_config_changes()
    {
        var state = Loaded();
        var web = new WorkloadRef(WorkloadKind.Deployment, "a", "web");
        state.LastRestart[web] = new RestartRecord(T0.AddHours(-5), "r1", RestartOutcome.Settled);

        Assert.IsType<WatchDecision.Wait>(WatchScheduler.Next(state, Outdated("a/web"), Pace, T0.AddHours(1)));

        state.UseRevision("r2", T0.AddHours(1));
        Assert.IsType<WatchDecision.Start>(WatchScheduler.Next(state, Outdated("a/web"), Pace, T0.AddHours(2)));
    }

    [Fact]
    public void Skipped_workloads_are_looked_at_again_later_and_others_go_first()
    {
        var state = Loaded();
        state.Skipped[new WorkloadRef(WorkloadKind.Deployment, "a", "paused")] = ("paused (spec.paused)", T0.AddHours(1));

        Assert.Equal("b/web", Started(state, Outdated("a/paused", "b/web"), T0.AddMinutes(2)));
        state.InFlight.Clear();
        var wait = Assert.IsType<WatchDecision.Wait>(WatchScheduler.Next(state, Outdated("a/paused"), Pace, T0.AddMinutes(10)));
        Assert.Equal(T0.AddHours(1), wait.Until);
    }

    private static WatchState Loaded()
    {
        var state = new WatchState();
        state.UseRevision("r1", T0);
        return state;
    }

    private static List<SelectedWorkload> Outdated(params string[] names) =>
        names.Select(n => new SelectedWorkload(new WorkloadRef(WorkloadKind.Deployment, n.Split('/')[0], n.Split('/')[1]), ["appup image 0.1.0 -> 0.2.0"], 1)).ToList();

    /// <summary>Asks for the next decision, expects a start, and records it as the watcher would.</summary>
    private static string Started(WatchState state, List<SelectedWorkload> outdated, DateTimeOffset now)
    {
        var start = Assert.IsType<WatchDecision.Start>(WatchScheduler.Next(state, outdated, Pace, now));
        var workload = start.Selected.Workload;
        state.InFlight[workload] = new InFlightRestart(workload, now, 1, now + Pace.Timeout, "");
        state.LastRestart[workload] = new RestartRecord(now, state.Revision, RestartOutcome.InFlight);
        state.LastStart = now;
        return $"{workload.Namespace}/{workload.Name}";
    }
}
