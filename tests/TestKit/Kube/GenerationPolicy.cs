namespace TestKit.Kube;

/// <summary>When the API server bumps <c>metadata.generation</c> (each resource's registry strategy decides).</summary>
public enum GenerationPolicy
{
    /// <summary>No generation (ConfigMaps, Secrets, Leases, Events...).</summary>
    None,

    /// <summary>Set to 1 on create, bumped when <c>spec</c> changes (StatefulSets, DaemonSets, Jobs, Pods...).</summary>
    Spec,

    /// <summary>
    /// Bumped when <c>spec</c> or <c>metadata.annotations</c> change: the Deployment strategy's rule ("annotation
    /// updates bump the generation because annotations are copied from deployments to their replica sets").
    /// </summary>
    SpecOrAnnotations,

    /// <summary>
    /// Bumped when anything but <c>metadata</c> (and <c>status</c>, when it is a subresource) changes: custom
    /// resources, EndpointSlices, webhook configurations.
    /// </summary>
    AllButMetadataAndStatus,
}
