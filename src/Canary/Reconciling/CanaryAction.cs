using k8s.Models;

namespace Canary.Reconciling;

/// <summary>One change to the world, executed in order; an action that fails stops the rest and the status write.</summary>
public abstract record CanaryAction
{
    private protected CanaryAction()
    {
    }
}

/// <summary>Create the Services, or patch the fields we manage in them.</summary>
public sealed record ApplyServices(IReadOnlyList<V1Service> Services) : CanaryAction;

/// <summary>Create the Deployment of a role, or patch the fields we manage (labels, revision, replicas, template).</summary>
public sealed record ApplyDeployment(DeploymentRole Role, V1Deployment Desired) : CanaryAction;

/// <summary>Patch only <c>spec.replicas</c> of a role's Deployment.</summary>
public sealed record ScaleDeployment(DeploymentRole Role, string Name, int Replicas) : CanaryAction;

/// <summary>Create the routing object or patch its weights (primary gets 100 - canary).</summary>
public sealed record SetRoute(int CanaryWeight) : CanaryAction;

/// <summary>Remove consumed manual-gate annotations from the CanaryApp.</summary>
public sealed record RemoveAnnotations(IReadOnlyList<string> Keys) : CanaryAction;
