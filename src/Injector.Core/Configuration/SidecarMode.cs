namespace Injector.Core.Configuration;

/// <summary>How sidecars are placed in the pod.</summary>
public enum SidecarMode
{
    /// <summary><c>initContainers</c> with <c>restartPolicy: Always</c> (Kubernetes 1.29+): start first, stop last.</summary>
    Native,

    /// <summary>Appended to <c>containers</c>, for clusters without native sidecars.</summary>
    Classic,
}
