using k8s.Models;
using Rollout.Planning;
using Rollout.Waiting;

namespace Rollout.Tests.Waiting;

/// <summary>kubectl's rules per kind, message for message, and the generation gate in front of them.</summary>
public sealed class RolloutStatusRulesTests
{
    [Theory]
    [InlineData(3, 2, 3, 3, 3, RolloutState.Waiting, "waiting for the controller to observe generation 3 (observed: 2)")]
    [InlineData(3, 3, 1, 4, 3, RolloutState.Waiting, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...")]
    [InlineData(3, 3, 3, 4, 3, RolloutState.Waiting, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...")]
    [InlineData(3, 3, 3, 3, 2, RolloutState.Waiting, "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...")]
    [InlineData(3, 3, 3, 3, 3, RolloutState.Complete, "deployment \"web\" successfully rolled out")]
    public void Deployment(long generation, long observed, int updated, int total, int available, RolloutState state, string message)
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Generation = generation },
            Spec = new V1DeploymentSpec { Replicas = 3 },
            Status = new V1DeploymentStatus { ObservedGeneration = observed, UpdatedReplicas = updated, Replicas = total, AvailableReplicas = available },
        };

        Assert.Equal(new RolloutProgress(state, message), RolloutStatusRules.Evaluate(WorkloadState.From(deployment), generation));
    }

    [Fact]
    public void The_generation_the_patch_returned_gates_even_when_the_object_reads_older()
    {
        // A read served from a cache before the patch: generation 2 and all done, but the restart made generation 3.
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", Generation = 2 },
            Spec = new V1DeploymentSpec { Replicas = 1 },
            Status = new V1DeploymentStatus { ObservedGeneration = 2, UpdatedReplicas = 1, Replicas = 1, AvailableReplicas = 1 },
        };

        Assert.Equal(RolloutState.Waiting, RolloutStatusRules.Evaluate(WorkloadState.From(deployment), 3).State);
    }

    [Fact]
    public void An_exceeded_progress_deadline_fails_but_only_once_the_generation_is_observed()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", Generation = 2 },
            Spec = new V1DeploymentSpec { Replicas = 1 },
            Status = new V1DeploymentStatus
            {
                ObservedGeneration = 1,
                Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" }],
            },
        };

        Assert.Equal(RolloutState.Waiting, RolloutStatusRules.Evaluate(WorkloadState.From(deployment), 2).State); // an old failure
        deployment.Status.ObservedGeneration = 2;
        Assert.Equal(RolloutProgress.Failed("deployment \"web\" exceeded its progress deadline"), RolloutStatusRules.Evaluate(WorkloadState.From(deployment), 2));
    }

    [Fact]
    public void A_paused_deployment_fails_once_the_generation_is_observed_instead_of_waiting_for_ever()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", Generation = 2 },
            Spec = new V1DeploymentSpec { Replicas = 2, Paused = true },
            Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = 2, UpdatedReplicas = 0, AvailableReplicas = 2 },
        };

        Assert.Equal(RolloutState.Waiting, RolloutStatusRules.Evaluate(WorkloadState.From(deployment), 2).State);
        deployment.Status.ObservedGeneration = 2;
        Assert.Equal(
            RolloutProgress.Failed("deployment \"web\" is paused: the restart rolls out when it is resumed (kubectl rollout resume)"),
            RolloutStatusRules.Evaluate(WorkloadState.From(deployment), 2));
    }

    [Theory]
    [InlineData(0, 2, 2, null, RolloutState.Waiting, "waiting for the controller to observe generation 2 (observed: 0)")]
    [InlineData(2, 1, 0, 0, RolloutState.Waiting, "Waiting for 2 pods to be ready...")]
    [InlineData(2, 3, 1, 0, RolloutState.Waiting, "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...")]
    [InlineData(2, 3, 3, 0, RolloutState.Complete, "partitioned roll out complete: 3 new pods have been updated...")]
    [InlineData(2, 3, 1, 2, RolloutState.Complete, "partitioned roll out complete: 1 new pods have been updated...")]
    public void StatefulSet(long observed, int ready, int updated, int? partition, RolloutState state, string message)
    {
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "pg", Generation = 2 },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 3,
                UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = partition is null ? null : new V1RollingUpdateStatefulSetStrategy { Partition = partition } },
            },
            Status = new V1StatefulSetStatus { ObservedGeneration = observed, ReadyReplicas = ready, UpdatedReplicas = updated, CurrentRevision = "pg-1", UpdateRevision = "pg-1" },
        };

        Assert.Equal(new RolloutProgress(state, message), RolloutStatusRules.Evaluate(WorkloadState.From(sts), 2));
    }

    [Fact]
    public void A_StatefulSet_without_rollingUpdate_waits_for_the_revisions_to_meet()
    {
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "pg", Generation = 2 },
            Spec = new V1StatefulSetSpec { Replicas = 1, UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate" } },
            Status = new V1StatefulSetStatus { ObservedGeneration = 2, ReadyReplicas = 1, UpdatedReplicas = 1, CurrentReplicas = 1, CurrentRevision = "pg-1", UpdateRevision = "pg-2" },
        };

        Assert.Equal(RolloutProgress.Waiting("waiting for statefulset rolling update to complete 1 pods at revision pg-2..."), RolloutStatusRules.Evaluate(WorkloadState.From(sts), 2));
        sts.Status.CurrentRevision = "pg-2";
        Assert.Equal(RolloutProgress.Complete("statefulset rolling update complete 1 pods at revision pg-2..."), RolloutStatusRules.Evaluate(WorkloadState.From(sts), 2));
    }

    [Theory]
    [InlineData(1, 3, 3, RolloutState.Waiting, "waiting for the controller to observe generation 2 (observed: 1)")]
    [InlineData(2, 1, 3, RolloutState.Waiting, "Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated...")]
    [InlineData(2, 3, 2, RolloutState.Waiting, "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available...")]
    [InlineData(2, 3, 3, RolloutState.Complete, "daemon set \"agent\" successfully rolled out")]
    public void DaemonSet(long observed, int updated, int available, RolloutState state, string message)
    {
        var ds = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "agent", Generation = 2 },
            Spec = new V1DaemonSetSpec { UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate" } },
            Status = new V1DaemonSetStatus { ObservedGeneration = observed, DesiredNumberScheduled = 3, UpdatedNumberScheduled = updated, NumberAvailable = available },
        };

        Assert.Equal(new RolloutProgress(state, message), RolloutStatusRules.Evaluate(WorkloadState.From(ds), 2));
    }

    [Fact]
    public void A_strategy_switched_to_OnDelete_while_waiting_fails_instead_of_hanging()
    {
        var ds = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "agent", Generation = 2 },
            Spec = new V1DaemonSetSpec { UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" } },
            Status = new V1DaemonSetStatus { ObservedGeneration = 2, DesiredNumberScheduled = 3 },
        };

        Assert.Equal(RolloutState.Failed, RolloutStatusRules.Evaluate(WorkloadState.From(ds), 2).State);
    }
}
