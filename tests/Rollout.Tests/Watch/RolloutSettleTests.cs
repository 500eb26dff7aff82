using k8s.Models;
using Rollout.Selection;
using Rollout.Watch;

namespace Rollout.Tests.Watch;

public sealed class RolloutSettleTests
{
    private static readonly DateTimeOffset Patched = new(2025, 5, 1, 10, 0, 0, 400, TimeSpan.Zero);
    private static readonly InFlightRestart Restart = new(new WorkloadRef(WorkloadKind.Deployment, "a", "web"), Patched, 2, Patched.AddMinutes(5), "")
    {
        OldPods = new HashSet<string> { "old-1", "old-2" },
    };

    [Fact]
    public void Settled_when_every_pod_is_new_and_ready_and_there_are_enough()
    {
        Assert.Equal(RolloutSettle.State.Settled, RolloutSettle.Check(Restart, [Pod("new-1", true), Pod("new-2", true)], Patched.AddSeconds(5)));
        Assert.Equal(RolloutSettle.State.Settled, RolloutSettle.Check(Restart, [Pod("new-1", true), Pod("new-2", true), Pod("new-3", true)], Patched.AddSeconds(5)));
    }

    [Theory]
    [InlineData("old-1", true, "new-2", true)] // an old pod is left (even one created in the second of the patch)
    [InlineData("new-1", false, "new-2", true)] // a new pod is not ready
    [InlineData("new-1", true, "new-2", false)] // one pod only
    public void Waiting_otherwise(string first, bool firstReady, string second, bool two)
    {
        V1Pod[] pods = two ? [Pod(first, firstReady), Pod(second, true)] : [Pod(first, firstReady)];

        Assert.Equal(RolloutSettle.State.Waiting, RolloutSettle.Check(Restart, pods, Patched.AddSeconds(30)));
        Assert.Equal(RolloutSettle.State.TimedOut, RolloutSettle.Check(Restart, pods, Patched.AddMinutes(5)));
    }

    [Fact]
    public void A_terminating_pod_is_still_there()
    {
        var leaving = Pod("new-1", true);
        leaving.Metadata.DeletionTimestamp = Patched.UtcDateTime.AddSeconds(2);

        Assert.Equal(RolloutSettle.State.Waiting, RolloutSettle.Check(Restart, [leaving, Pod("new-2", true), Pod("new-3", true)], Patched.AddSeconds(5)));
    }

    private static V1Pod Pod(string uid, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = uid, Uid = uid, CreationTimestamp = new DateTime(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc) },
        Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };
}
