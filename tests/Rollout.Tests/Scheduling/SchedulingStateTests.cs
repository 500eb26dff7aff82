using Rollout.Scheduling;

namespace Rollout.Tests.Scheduling;

/// <summary>The scheduler's decisions tick by tick, with no clock at all.</summary>
public sealed class SchedulingStateTests
{
    [Fact]
    public void Per_namespace_limit_lets_later_jobs_of_other_namespaces_pass()
    {
        var state = new SchedulingState<string>(["a/1", "a/2", "b/1", "c/1"], Ns, new SchedulerOptions(Parallel: 3, MaxPerNamespace: 1));

        Assert.Equal(["a/1", "b/1", "c/1"], StartAll(state));
        state.Complete("b/1", failed: false);
        Assert.Empty(StartAll(state)); // a is still busy
        state.Complete("a/1", failed: false);
        Assert.Equal(["a/2"], StartAll(state));
    }

    [Fact]
    public void The_overall_limit_holds()
    {
        var state = new SchedulingState<string>(["a/1", "b/1", "c/1", "d/1"], Ns, new SchedulerOptions(Parallel: 2, MaxPerNamespace: 5));

        Assert.Equal(["a/1", "b/1"], StartAll(state));
        Assert.Equal(2, state.Running);
        state.Complete("a/1", failed: false);
        Assert.Equal(["c/1"], StartAll(state));
    }

    [Fact]
    public void After_max_failures_nothing_starts_what_runs_finishes()
    {
        var state = new SchedulingState<string>(["a/1", "b/1", "c/1", "d/1"], Ns, new SchedulerOptions(Parallel: 2, MaxPerNamespace: 1, MaxFailures: 1));

        StartAll(state);
        state.Complete("a/1", failed: true);
        Assert.Equal(NotStartedReason.TooManyFailures, state.Halted);
        Assert.Empty(StartAll(state));
        Assert.False(state.Finished);
        state.Complete("b/1", failed: false);
        Assert.True(state.Finished);
        Assert.Equal(["c/1", "d/1"], state.Pending);
    }

    [Fact]
    public void Stop_starts_nothing_more()
    {
        var state = new SchedulingState<string>(["a/1", "b/1"], Ns, new SchedulerOptions());

        StartAll(state);
        state.Stop();
        state.Complete("a/1", failed: false);
        Assert.Empty(StartAll(state));
        Assert.Equal(NotStartedReason.Interrupted, state.Halted);
        Assert.True(state.Finished);
    }

    [Fact]
    public void Zero_limits_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SchedulingState<string>([], Ns, new SchedulerOptions(Parallel: 0)));

    private static string Ns(string job) => job.Split('/')[0];

    private static List<string> StartAll(SchedulingState<string> state)
    {
        var started = new List<string>();
        while (state.TryStartNext(out var job))
        {
            started.Add(job);
        }

        return started;
    }
}
