namespace Sidecars.Kube;

/// <summary>Timing of a <see cref="ListWatch"/>. The defaults suit the sidecars; tests shorten them.</summary>
public sealed class ListWatchOptions
{
    /// <summary>Items per list page (<c>limit</c>); the rest follows with <c>continue</c>.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// The watch's <c>timeoutSeconds</c>: the server ends it then and it is opened again from the last resourceVersion.
    /// Together with <see cref="IdleGrace"/> it bounds how long a silently dead connection goes unnoticed.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>A watch from which no byte arrives for <see cref="WatchTimeout"/> plus this is taken for dead.</summary>
    public TimeSpan IdleGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay after a failure (an error, 410 Gone, a watch that ends at once); it doubles per failure.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A watch that stayed open this long counts as a success and resets the backoff. Shorter ones that end (or fail)
    /// count as failures, so an API that answers every watch at once (ERROR 410, an empty stream) is not hammered.
    /// </summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, everything is listed again this often even without errors (the RoleBinding loop's resync).</summary>
    public TimeSpan? ResyncPeriod { get; init; }
}
