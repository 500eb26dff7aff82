namespace Canary.Api;

/// <summary>The values of <c>status.phase</c>.</summary>
public static class CanaryPhase
{
    /// <summary>The first revision is being deployed as the primary (no analysis for it).</summary>
    public const string Initializing = "Initializing";

    /// <summary>A new revision runs on the canary Deployment and is being analysed step by step.</summary>
    public const string Progressing = "Progressing";

    /// <summary>The analysis passed; the primary Deployment is being updated to the tested revision.</summary>
    public const string Promoting = "Promoting";

    /// <summary>The primary runs the desired revision and takes all the traffic; nothing to do.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The desired revision was rolled back and is listed in <c>status.failedImages</c>.</summary>
    public const string Failed = "Failed";
}
