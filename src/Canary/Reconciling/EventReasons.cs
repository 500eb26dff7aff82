namespace Canary.Reconciling;

/// <summary>The <c>reason</c> of each Event the controller records on a CanaryApp.</summary>
public static class EventReasons
{
    /// <summary>The first revision is being deployed as the primary.</summary>
    public const string Initializing = "Initializing";

    /// <summary>The primary of the first revision is ready.</summary>
    public const string Initialized = "Initialized";

    /// <summary>A new revision started on the canary Deployment.</summary>
    public const string Progressing = "Progressing";

    /// <summary>The revision changed during an analysis: traffic went back to the primary and the analysis restarts.</summary>
    public const string Restarted = "Restarted";

    /// <summary>A check passed (or the canary became ready) and the canary weight went up.</summary>
    public const string Advance = "Advance";

    /// <summary>A check failed below the threshold: the weight stays.</summary>
    public const string Hold = "Hold";

    /// <summary>A check returned no data; <c>onNoData</c> decided what followed.</summary>
    public const string NoData = "NoData";

    /// <summary>The query could not be evaluated; <c>failWhenPrometheusFails</c> decided what followed.</summary>
    public const string MetricError = "MetricError";

    /// <summary>The analysis passed (or a person asked): the primary is being updated to the tested revision.</summary>
    public const string Promote = "Promote";

    /// <summary>The primary runs the tested revision and takes all the traffic.</summary>
    public const string Promoted = "Promoted";

    /// <summary>Traffic back to the primary, canary scaled to zero, revision listed in status.failedImages.</summary>
    public const string Rollback = "Rollback";

    /// <summary>A failed revision is tried again (annotation canary.sidecars.dev/retry).</summary>
    public const string Retry = "Retry";

    /// <summary>The spec went back to the primary's revision during an analysis; the canary stopped.</summary>
    public const string Superseded = "Superseded";

    /// <summary>spec.suspend is true: nothing moves.</summary>
    public const string Suspended = "Suspended";

    /// <summary>The spec cannot be acted on; the note says why.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>An object the CanaryApp would make exists and belongs to someone else; it is left alone.</summary>
    public const string Conflict = "Conflict";
}
