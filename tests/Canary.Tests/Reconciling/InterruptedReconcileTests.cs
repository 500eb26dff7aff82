using Canary.Api;
using Canary.Reconciling;
using Canary.Tests.Support;
using k8s.Autorest;

namespace Canary.Tests.Reconciling;

/// <summary>
/// A reconcile cut short: the status write refused with 409 (someone annotated or re-applied the CanaryApp between
/// the read and the write), or the controller gone between two writes. The status is the controller's only memory
/// (timers, failed checks, failed revisions), so a lost status write must never make it act twice or forget a
/// rollback. The work queue retries a failed reconcile after milliseconds, which the tests do by ticking again
/// without moving the clock.
/// </summary>
public sealed class InterruptedReconcileTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static async Task<Ticker> AtFirstStepAsync(Action<CanaryAppSpec>? configure = null)
    {
        var t = new Ticker(Ticker.App(configure: configure));
        await t.RunUntilIdleAsync();
        t.World.WeightLog.Clear();
        t.World.ActionLog.Clear();
        t.Events.All.Clear();
        t.World.ChangeSpec(s => s.Image = "example/app:v2");
        await t.TickAsync(); // the canary starts
        Assert.Equal(Interval, await t.TickAsync()); // ready: weight 10, next check in one interval
        Assert.Equal(10, t.World.RouteWeight);
        t.Clock.Advance(Interval);
        return t;
    }

    [Fact]
    public async Task A_refused_status_write_after_a_step_does_not_take_the_next_step_at_once()
    {
        var t = await AtFirstStepAsync();
        t.World.StatusWritesToRefuse = 1;
        await Assert.ThrowsAsync<HttpOperationException>(() => t.TickAsync());

        // The retry comes milliseconds later: whatever the refused reconcile did, the weight may move one step only,
        // and the next step waits a whole interval.
        await t.TickAsync();
        await t.TickAsync();
        Assert.Equal(20, t.World.RouteWeight);
        Assert.Equal(Interval, t.LastRequeue);
        Assert.Equal(20, t.Status.CanaryWeight);

        await t.RunUntilIdleAsync();
        Assert.Equal([10, 20, 30, 40, 50, 0], t.World.WeightLog);
    }

    [Fact]
    public async Task A_refused_status_write_after_a_rollback_does_not_send_traffic_to_the_failed_revision_again()
    {
        var t = await AtFirstStepAsync();
        t.Analysis.Then(ScriptedAnalysis.Fail);
        t.World.StatusWritesToRefuse = 1;
        await Assert.ThrowsAnyAsync<Exception>(() => t.TickAsync());

        await t.RunUntilIdleAsync();
        Assert.Equal([10, 0], t.World.WeightLog);
        Assert.Equal(0, t.World.Canary!.Spec.Replicas);
        Assert.Equal(CanaryPhase.Failed, t.Status.Phase);
        Assert.Equal("example/app:v2", Assert.Single(t.Status.FailedImages!).Image);
        Assert.Equal("example/app:v1", t.World.Primary!.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Status_writes_refused_every_time_move_nothing()
    {
        var t = await AtFirstStepAsync();
        var checks = t.Analysis.CheckedAtWeights.Count;
        t.World.StatusWritesToRefuse = int.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<HttpOperationException>(() => t.TickAsync());
        }

        Assert.Equal(10, t.World.RouteWeight);
        Assert.Equal([], t.World.WeightLog.Skip(1));
        Assert.True(t.Analysis.CheckedAtWeights.Count - checks <= 20);
    }
}
