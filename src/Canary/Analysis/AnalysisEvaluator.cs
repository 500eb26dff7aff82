using System.Globalization;
using Canary.Api;

namespace Canary.Analysis;

/// <summary>
/// Turns a query result into a verdict under one of two conventions, every result type handled explicitly:
/// <list type="bullet">
/// <item><b>Any series fails</b> (canaryop's, when no <c>thresholdRange</c> is set): the query is a failure
/// condition such as <c>rate(5xx[1m]) &gt; 2</c>; a vector or matrix with at least one series fails, an empty one
/// passes (that is what a healthy failure condition returns). A scalar or string cannot be a failure condition and is
/// an error.</item>
/// <item><b>Threshold range</b>: the query must give one value (a vector of one series, or a scalar) inside
/// [min, max]. No series or NaN is no data (<c>onNoData</c> decides); ±Inf is compared like any number; several
/// series, a matrix or a string are errors that say how to fix the query.</item>
/// </list>
/// </summary>
public static class AnalysisEvaluator
{
    public static AnalysisResult Evaluate(EffectiveSpec spec, QueryResult result)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.UsesThresholdRange ? InRange(spec, result) : AnySeriesFails(result);
    }

    private static AnalysisResult AnySeriesFails(QueryResult result) => result switch
    {
        QueryResult.Vector { Series.Count: 0 } => new(Verdict.Pass, "[]", "the failure condition returned no series"),
        QueryResult.Vector v => new(Verdict.Fail, Summary(v.Series), $"the failure condition returned {Count(v.Series.Count)}: {v.Series[0].Describe()}"),
        QueryResult.Matrix { Series.Count: 0 } => new(Verdict.Pass, "[]", "the failure condition returned no series"),
        QueryResult.Matrix m => new(Verdict.Fail, Summary(m.Series), $"the failure condition returned {Count(m.Series.Count)} (a range vector): {m.Series[0].Describe()}"),
        QueryResult.Scalar s => AnalysisResult.Error($"the query returned a scalar ({s.RawValue}); without thresholdRange it must be a failure condition that returns series (e.g. `rate(...) > 2`), or set thresholdRange"),
        QueryResult.Text t => AnalysisResult.Error($"the query returned a string (\"{t.Value}\"); it must return series"),
        _ => AnalysisResult.Error("unknown result type"),
    };

    private static AnalysisResult InRange(EffectiveSpec spec, QueryResult result)
    {
        switch (result)
        {
            case QueryResult.Vector { Series.Count: 0 }:
                return new(Verdict.NoData, "[]", "the query returned no series");
            case QueryResult.Vector { Series.Count: 1 } v:
                return Compare(spec, v.Series[0].RawValue, v.Series[0].Value);
            case QueryResult.Vector v:
                return AnalysisResult.Error($"the query returned {Count(v.Series.Count)}; thresholdRange needs exactly one value: aggregate it (sum, avg, max)");
            case QueryResult.Scalar s:
                return Compare(spec, s.RawValue, s.Value);
            case QueryResult.Matrix:
                return AnalysisResult.Error("the query returned a range vector (matrix); thresholdRange needs one value: use an instant vector, e.g. wrap it in avg_over_time or rate");
            case QueryResult.Text t:
                return AnalysisResult.Error($"the query returned a string (\"{t.Value}\"); thresholdRange needs a number");
            default:
                return AnalysisResult.Error("unknown result type");
        }
    }

    private static AnalysisResult Compare(EffectiveSpec spec, string raw, double value)
    {
        if (double.IsNaN(value))
        {
            return new(Verdict.NoData, raw, "the query returned NaN (no data, e.g. a rate over zero requests)");
        }

        var range = $"[{Bound(spec.Min)}, {Bound(spec.Max)}]";
        var inside = (spec.Min is not { } min || value >= min) && (spec.Max is not { } max || value <= max);
        return inside
            ? new(Verdict.Pass, raw, $"{raw} is within {range}")
            : new(Verdict.Fail, raw, $"{raw} is outside {range}");
    }

    private static string Bound(double? b) => b is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "-";

    private static string Count(int n) => n == 1 ? "1 series" : $"{n} series";

    private static string Summary(IReadOnlyList<Sample> series) =>
        series.Count == 1 ? series[0].RawValue : $"{series.Count} series";
}
