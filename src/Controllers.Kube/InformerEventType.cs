namespace Controllers.Kube;

/// <summary>What happened to an object in an <see cref="Informer{T}"/>'s cache.</summary>
public enum InformerEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Nothing changed; the periodic resync hands every cached object out again.</summary>
    Resync,
}
