using Rollout.Execution;

namespace Rollout.Output;

/// <summary>The end of a run: every row, the counts per result, and the exit code they add up to.</summary>
public sealed record RunSummary(IReadOnlyList<SummaryRow> Rows, int ExitCode, TimeSpan Elapsed, bool DryRun)
{
    public const string Restarted = "restarted";
    public const string Accepted = "accepted";
    public const string WouldRestart = "would restart";
    public const string TimedOut = "timed out";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string NotStarted = "not started";

    /// <summary>Failures first, then timeouts, restarts, skips, not started: what needs attention leads.</summary>
    public static readonly IReadOnlyList<string> Order = [Failed, TimedOut, NotStarted, Restarted, Accepted, WouldRestart, Skipped];

    public int Count(string result) => Rows.Count(r => r.Result == result);

    public static string ResultName(RolloutResult result) => result switch
    {
        RolloutResult.Restarted => Restarted,
        RolloutResult.Accepted => Accepted,
        RolloutResult.TimedOut => TimedOut,
        RolloutResult.Failed => Failed,
        RolloutResult.Skipped => Skipped,
        _ => NotStarted,
    };
}
