namespace Sidecars.Contract;

/// <summary>
/// What the injector recorded about one sidecar it injected: enough for a rollout tool to tell, without the engine,
/// which sidecar of a running pod is out of date.
/// </summary>
public sealed class SidecarRecord
{
    /// <summary>The image the sidecar's container runs (after an allowed per-pod override).</summary>
    public string Image { get; set; } = string.Empty;

    /// <summary>Hash of the config section that shapes this sidecar (image, resources, pull policy,
    /// securityContext): changes only when the config changes for this sidecar.</summary>
    public string Revision { get; set; } = string.Empty;

    /// <summary>Hash of everything injected for this sidecar (containers, volumes, edits to the target container):
    /// changes when the config or the pod's annotations change what would be injected.</summary>
    public string Hash { get; set; } = string.Empty;
}
