namespace Rollout.Scheduling;

/// <summary>One job's fate: its outcome when it ran, or why it never started.</summary>
public sealed record ScheduledRun<TJob, TOutcome>(TJob Job, TOutcome? Outcome, NotStartedReason? NotStarted);
