namespace Canary.Analysis;

/// <summary>
/// The result of one check: the verdict, the value as Prometheus wrote it, and a sentence for people. Both texts are
/// cut to a bounded length here, whatever Prometheus answered (a megabyte string result, thousands of labels): they
/// go into the status, Events and logs.
/// </summary>
public sealed record AnalysisResult
{
    /// <summary>Longest <see cref="Message"/>.</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>Longest <see cref="Value"/>.</summary>
    public const int MaxValueLength = 256;

    public AnalysisResult(Verdict verdict, string? value, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Verdict = verdict;
        Value = value is null ? null : Text.Truncate(value, MaxValueLength);
        Message = Text.Truncate(message, MaxMessageLength);
    }

    public Verdict Verdict { get; }

    public string? Value { get; }

    public string Message { get; }

    public static AnalysisResult Error(string message) => new(Verdict.Error, null, message);
}
