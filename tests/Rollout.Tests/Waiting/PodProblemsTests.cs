using k8s.Models;
using Rollout.Waiting;

namespace Rollout.Tests.Waiting;

public sealed class PodProblemsTests
{
    [Fact]
    public void Stuck_containers_and_unschedulable_pods_are_named_healthy_ones_are_not()
    {
        V1Pod[] pods =
        [
            Pod("web-b", initWaiting: ("appup", "ImagePullBackOff", "Back-off pulling image \"ghcr.io/sidecars-dev/appup:0.9\"")),
            Pod("web-a", waiting: ("app", "CrashLoopBackOff", "back-off 5m0s\nrestarting")),
            Pod("web-c", unschedulable: "0/3 nodes are available: 3 Insufficient memory."),
            Pod("web-d"),
            Pod("web-e", waiting: ("app", "ContainerCreating", null)),
        ];

        Assert.Equal(
            "web-a: container app CrashLoopBackOff (back-off 5m0s restarting); web-b: container appup ImagePullBackOff (Back-off pulling image \"ghcr.io/sidecars-dev/appup:0.9\"); web-c: Unschedulable (0/3 nodes are available: 3 Insufficient memory.)",
            PodProblems.Describe(pods));
        Assert.Null(PodProblems.Describe([Pod("ok")]));
    }

    [Fact]
    public void Many_stuck_pods_are_counted_after_the_first_few()
    {
        var pods = Enumerable.Range(0, 9).Select(i => Pod($"p{i}", waiting: ("app", "CrashLoopBackOff", null))).ToList();

        Assert.EndsWith("; 4 more", PodProblems.Describe(pods), StringComparison.Ordinal);
    }

    private static V1Pod Pod(string name, (string Name, string Reason, string? Message)? waiting = null, (string Name, string Reason, string? Message)? initWaiting = null, string? unschedulable = null)
    {
        static V1ContainerStatus Status((string Name, string Reason, string? Message) w) => new()
        {
            Name = w.Name,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = w.Reason, Message = w.Message } },
        };

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Status = new V1PodStatus
            {
                ContainerStatuses = waiting is { } w ? [Status(w)] : [],
                InitContainerStatuses = initWaiting is { } i ? [Status(i)] : null,
                Conditions = unschedulable is null ? null : [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = unschedulable }],
            },
        };
    }
}
