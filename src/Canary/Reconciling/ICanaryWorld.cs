using Canary.Api;

namespace Canary.Reconciling;

/// <summary>The I/O side of a reconcile: read the world fresh, change it one action at a time, write the status.</summary>
public interface ICanaryWorld
{
    /// <summary>Reads the CanaryApp and everything it owns; null when the CanaryApp no longer exists.</summary>
    Task<Observation?> ObserveAsync(string namespaceName, string name, DateTimeOffset now, CancellationToken cancellationToken);

    Task ExecuteAsync(CanaryApp app, CanaryAction action, CancellationToken cancellationToken);

    /// <summary>Writes the status subresource, conditional on the resourceVersion that was read (a conflict throws);
    /// the new resourceVersion is carried on in <paramref name="app"/>, so the actions that follow (a conditional
    /// annotation patch) do not conflict with it.</summary>
    Task WriteStatusAsync(CanaryApp app, CanaryAppStatus status, CancellationToken cancellationToken);
}
