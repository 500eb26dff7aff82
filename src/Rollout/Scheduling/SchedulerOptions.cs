namespace Rollout.Scheduling;

/// <summary>How many rollouts run at once, overall and per namespace, and after how many failures none start.</summary>
/// <param name="Parallel">Rollouts in flight overall (<c>--parallel-rollouts</c>).</param>
/// <param name="MaxPerNamespace">Rollouts in flight in one namespace (<c>--max-per-namespace</c>).</param>
/// <param name="MaxFailures">Failures after which no new rollout starts (<c>--max-failures</c>; 0: no limit).</param>
public sealed record SchedulerOptions(int Parallel = 1, int MaxPerNamespace = 1, int MaxFailures = 0);
