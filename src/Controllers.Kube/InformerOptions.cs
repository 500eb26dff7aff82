namespace Controllers.Kube;

/// <summary>Timing of an <see cref="Informer{T}"/>.</summary>
public sealed record InformerOptions
{
    /// <summary>Every cached object is handed to the resync handler this often (0: never).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Objects per list page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeout; each watch gets a random value between this and twice this (as client-go).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that sends nothing (not even a bookmark) for this long is dropped and restarted.</summary>
    public TimeSpan WatchIdleTimeout { get; init; } = TimeSpan.FromMinutes(12);

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
