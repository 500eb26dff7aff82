namespace Sidecars.Kube;

/// <summary>Why a <see cref="ListWatch"/> listed.</summary>
public enum ListReason
{
    /// <summary>The first list.</summary>
    Initial,

    /// <summary>After 410 Gone, an error, or a handler's <see cref="ListWatchStep.Retry"/>.</summary>
    Relist,

    /// <summary><see cref="ListWatchOptions.ResyncPeriod"/> passed.</summary>
    Resync,
}
