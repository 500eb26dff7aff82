namespace Canary.Reconciling;

/// <summary>The two Deployments of a CanaryApp.</summary>
public enum DeploymentRole
{
    Primary,
    Canary,
}
