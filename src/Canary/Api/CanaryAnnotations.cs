namespace Canary.Api;

/// <summary>Annotations users put on a CanaryApp (manual gates) and labels/annotations the controller writes.</summary>
public static class CanaryAnnotations
{
    /// <summary>On a CanaryApp: try a revision listed in <c>status.failedImages</c> again. Removed when acted on.</summary>
    public const string Retry = "canary.sidecars.dev/retry";

    /// <summary>On a CanaryApp: promote the revision under test now (once its canary is ready). Removed when acted on.</summary>
    public const string Promote = "canary.sidecars.dev/promote";

    /// <summary>On a CanaryApp: roll the revision under test back now and list it as failed. Removed when acted on.</summary>
    public const string Abort = "canary.sidecars.dev/abort";

    /// <summary>On the Deployments: the revision (hash of the pod template) they run.</summary>
    public const string Revision = "canary.sidecars.dev/revision";

    /// <summary>Label on Deployments, pods and Services: the CanaryApp's name.</summary>
    public const string AppLabel = "canary.sidecars.dev/app";

    /// <summary>Label on Deployments and pods: <c>primary</c> or <c>canary</c> (the DestinationRule subsets select on it).</summary>
    public const string RoleLabel = "canary.sidecars.dev/role";

    /// <summary>The field manager / managed-by value of everything the controller writes.</summary>
    public const string Manager = "canary-controller";
}
