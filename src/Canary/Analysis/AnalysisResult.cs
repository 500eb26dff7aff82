namespace Canary.Analysis;

/// <summary>The result of one check: the verdict, the value as Prometheus wrote it, and a sentence for people.</summary>
public sealed record AnalysisResult(Verdict Verdict, string? Value, string Message)
{
    public static AnalysisResult Error(string message) => new(Verdict.Error, null, message);
}
