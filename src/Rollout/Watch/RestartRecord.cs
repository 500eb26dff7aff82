namespace Rollout.Watch;

/// <summary>The last restart of one workload: when, under which injector config revision (null: unknown), and how it went.</summary>
public sealed record RestartRecord(DateTimeOffset At, string? Revision, RestartOutcome Outcome);
