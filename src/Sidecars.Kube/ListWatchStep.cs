namespace Sidecars.Kube;

/// <summary>What a <see cref="IListWatchHandler"/> wants after a list or an event.</summary>
public enum ListWatchStep
{
    /// <summary>Keep watching.</summary>
    Continue,

    /// <summary>Handling failed (a write the handler makes was refused, say): back off, then list again.</summary>
    Retry,

    /// <summary>Done: <see cref="ListWatch.RunAsync"/> returns.</summary>
    Stop,
}
