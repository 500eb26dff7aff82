using k8s.Models;
using Rollout.Selection;
using Rollout.Watch;

namespace Rollout.Tests.Watch;

public sealed class RolloutSettleTests
{
    private static readonly DateTimeOffset Patched = new(2025, 5, 1, 10, 0, 0, 400, TimeSpan.Zero);
    private static readonly InFlightRestart Restart = new(new WorkloadRef(WorkloadKind.Deployment, "a", "web"), Patched, 2, Patched.AddMinutes(5), "");

    [Fact]
    public void Settled_when_every_pod_is_new_and_ready_and_there_are_enough()
    {
        Assert.Equal(RolloutSettle.State.Settled, RolloutSettle.Check(Restart, [Pod(0, true), Pod(3, true)], Patched.AddSeconds(5)));
        Assert.Equal(RolloutSettle.State.Settled, RolloutSettle.Check(Restart, [Pod(0, true), Pod(0, true), Pod(1, true)], Patched.AddSeconds(5)));
    }

    [Theory]
    [InlineData(-2, true, 3, true)] // an old pod is left
    [InlineData(2, false, 3, true)] // a new pod is not ready
    [InlineData(2, true, 3, false)] // one pod only
    public void Waiting_otherwise(int firstCreated, bool firstReady, int secondCreated, bool two)
    {
        V1Pod[] pods = two ? [Pod(firstCreated, firstReady), Pod(secondCreated, true)] : [Pod(firstCreated, firstReady)];

        Assert.Equal(RolloutSettle.State.Waiting, RolloutSettle.Check(Restart, pods, Patched.AddSeconds(30)));
        Assert.Equal(RolloutSettle.State.TimedOut, RolloutSettle.Check(Restart, pods, Patched.AddMinutes(5)));
    }

    [Fact]
    public void A_terminating_pod_is_still_there()
    {
        var leaving = Pod(1, true);
        leaving.Metadata.DeletionTimestamp = Patched.UtcDateTime.AddSeconds(2);

        Assert.Equal(RolloutSettle.State.Waiting, RolloutSettle.Check(Restart, [leaving, Pod(1, true), Pod(2, true)], Patched.AddSeconds(5)));
    }

    private static V1Pod Pod(int createdSecondsAfterPatch, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", CreationTimestamp = new DateTime(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc).AddSeconds(createdSecondsAfterPatch) },
        Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };
}
