namespace Rollout.Output;

/// <summary>One line of the final table: the result, what it is about, and why or what happened.</summary>
/// <param name="Result"><c>restarted</c>, <c>accepted</c>, <c>timed out</c>, <c>failed</c>, <c>skipped</c>, <c>not started</c>.</param>
/// <param name="Subject">The workload (<c>Deployment shop/web</c>) or what was skipped (<c>Job shop/migrate</c>).</param>
/// <param name="Reason">Why it was selected (the drift), empty for skips found during selection.</param>
/// <param name="Detail">What happened, or why it was skipped or failed.</param>
public sealed record SummaryRow(string Result, string Subject, string Reason, string Detail, TimeSpan? Elapsed = null);
