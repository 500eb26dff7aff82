namespace Rollout.Watch;

/// <summary>How fast the watch restarts: the pace between starts, per workload, after a config change, and per restart.</summary>
/// <param name="Interval">Least time between two restarts started.</param>
/// <param name="Cooldown">Least time between two restarts of one workload.</param>
/// <param name="Settle">Wait after the config changes before the first restart.</param>
/// <param name="Timeout">How long a restart may take before it stops holding its namespace.</param>
/// <param name="Parallel">Restarts in flight at once overall (one per namespace at most).</param>
public sealed record WatchPace(TimeSpan Interval, TimeSpan Cooldown, TimeSpan Settle, TimeSpan Timeout, int Parallel);
