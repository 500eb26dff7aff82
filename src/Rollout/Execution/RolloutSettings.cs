namespace Rollout.Execution;

/// <summary>How each rollout is done: the annotation prefix, server-side dry run, the wait and what counts as failure.</summary>
public sealed record RolloutSettings
{
    public string AnnotationPrefix { get; init; } = Planning.RestartPatch.DefaultPrefix;

    /// <summary>Send the patches with <c>dryRun=All</c> and do not wait.</summary>
    public bool ServerDryRun { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of the patch on 409, 429 and 5xx answers.</summary>
    public int PatchAttempts { get; init; } = 4;
}
