using k8s.Models;

namespace Canary.Reconciling;

/// <summary>Whether a Deployment's rollout is complete.</summary>
public enum RolloutState
{
    Waiting,
    Complete,
    Failed,
}

/// <summary>
/// kubectl's rollout-complete rules for a Deployment (kubectl/pkg/polymorphichelpers/rollout_status.go): the
/// controller has observed the current generation; the Progressing condition's reason is not
/// ProgressDeadlineExceeded; every desired replica is updated; no old replica is left; every updated replica is
/// available. Plus one rule of ours: the Deployment carries the revision we expect, so a stale read from before our
/// own patch (old generation, old template, all available) never reads as the new revision being done.
/// </summary>
public static class Readiness
{
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    public static (RolloutState State, string Message) Of(V1Deployment? deployment, string? expectedRevision = null)
    {
        if (deployment is null)
        {
            return (RolloutState.Waiting, "the Deployment does not exist yet");
        }

        var name = deployment.Metadata?.Name;
        if (expectedRevision is not null && DesiredObjects.RevisionOf(deployment) != expectedRevision)
        {
            return (RolloutState.Waiting, $"Deployment {name} does not run revision {expectedRevision} yet");
        }

        var status = deployment.Status;
        var generation = deployment.Metadata?.Generation ?? 0;
        if (status?.ObservedGeneration is not { } observed || observed < generation)
        {
            return (RolloutState.Waiting, $"waiting for the Deployment {name} spec update to be observed");
        }

        if (status.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Reason: ProgressDeadlineExceeded })
        {
            return (RolloutState.Failed, $"Deployment {name} exceeded its progress deadline");
        }

        var desired = deployment.Spec?.Replicas ?? 1;
        var updated = status.UpdatedReplicas ?? 0;
        var replicas = status.Replicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        if (updated < desired)
        {
            return (RolloutState.Waiting, $"Deployment {name}: {updated} out of {desired} new replicas have been updated");
        }

        if (replicas > updated)
        {
            return (RolloutState.Waiting, $"Deployment {name}: {replicas - updated} old replicas are pending termination");
        }

        if (available < updated)
        {
            return (RolloutState.Waiting, $"Deployment {name}: {available} of {updated} updated replicas are available");
        }

        return (RolloutState.Complete, $"Deployment {name} is rolled out");
    }
}
