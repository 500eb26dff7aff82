using System.Text;
using Canary.Analysis;
using Canary.Api;
using Canary.Tests.Support;

namespace Canary.Tests.Analysis;

/// <summary>Every result type and error of Prometheus's query API, under both conventions.</summary>
public sealed class PrometheusResponseTests
{
    private static readonly EffectiveSpec AnySeries = EffectiveSpec.From(new CanaryAppSpec { Image = "x", PrometheusQuery = "q", PrometheusUrl = "http://p:9090" });

    private static readonly EffectiveSpec Range = EffectiveSpec.From(new CanaryAppSpec
    {
        Image = "x", PrometheusQuery = "q", PrometheusUrl = "http://p:9090", ThresholdRange = new ThresholdRange { Min = 0, Max = 0.05 },
    });

    private static AnalysisResult Evaluate(EffectiveSpec spec, string json)
    {
        var (result, error) = PrometheusResponse.Parse(Encoding.UTF8.GetBytes(json));
        return result is null ? AnalysisResult.Error(error!) : AnalysisEvaluator.Evaluate(spec, result);
    }

    public static TheoryData<string, string, Verdict, string> Cases => new()
    {
        // canaryop's convention: the query is a failure condition; any series is a failure.
        { "any", PromJson.EmptyVector, Verdict.Pass, "no series" },
        { "any", PromJson.Vector("3"), Verdict.Fail, "1 series" },
        { "any", PromJson.Vector("3", "4", "5"), Verdict.Fail, "3 series" },
        { "any", PromJson.Vector("NaN"), Verdict.Fail, "1 series" },
        { "any", PromJson.Matrix, Verdict.Fail, "range vector" },
        { "any", PromJson.EmptyMatrix, Verdict.Pass, "no series" },
        { "any", PromJson.Scalar("1"), Verdict.Error, "scalar" },
        { "any", PromJson.String, Verdict.Error, "string" },
        // thresholdRange [0, 0.05]: one value.
        { "range", PromJson.Vector("0.01"), Verdict.Pass, "within [0, 0.05]" },
        { "range", PromJson.Vector("0.05"), Verdict.Pass, "within" },
        { "range", PromJson.Vector("0.2"), Verdict.Fail, "outside [0, 0.05]" },
        { "range", PromJson.Vector("-0.1"), Verdict.Fail, "outside" },
        { "range", PromJson.Vector("1e-3"), Verdict.Pass, "1e-3 is within" },
        { "range", PromJson.Vector("+Inf"), Verdict.Fail, "+Inf is outside" },
        { "range", PromJson.Vector("-Inf"), Verdict.Fail, "-Inf is outside" },
        { "range", PromJson.Vector("NaN"), Verdict.NoData, "NaN" },
        { "range", PromJson.EmptyVector, Verdict.NoData, "no series" },
        { "range", PromJson.Vector("0.01", "0.02"), Verdict.Error, "exactly one value" },
        { "range", PromJson.Scalar("0.02"), Verdict.Pass, "within" },
        { "range", PromJson.Scalar("NaN"), Verdict.NoData, "NaN" },
        { "range", PromJson.Matrix, Verdict.Error, "range vector" },
        { "range", PromJson.String, Verdict.Error, "string" },
        { "range", PromJson.WithWarnings, Verdict.Pass, "within" },
        { "range", PromJson.NativeHistogram, Verdict.Error, "native histogram" },
        // Errors are errors under both conventions, never a failed check and never a pass.
        { "any", PromJson.BadData, Verdict.Error, "bad_data" },
        { "range", PromJson.Timeout, Verdict.Error, "timeout" },
        { "range", PromJson.Execution, Verdict.Error, "execution" },
        { "any", "<html>502 Bad Gateway</html>", Verdict.Error, "invalid JSON" },
        { "any", "", Verdict.Error, "invalid JSON" },
        { "any", "[]", Verdict.Error, "not an object" },
        { "any", """{"status":"success"}""", Verdict.Error, "without a data object" },
        { "any", """{"status":"success","data":{"resultType":"vector"}}""", Verdict.Error, "without data.result" },
        { "any", """{"status":"success","data":{"resultType":"histogram","result":[]}}""", Verdict.Error, "unknown resultType" },
        { "range", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}""", Verdict.Error, "not a number" },
        { "range", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}""", Verdict.Error, "malformed" },
        { "range", """{"status":"success","data":{"resultType":"scalar","result":"x"}}""", Verdict.Error, "malformed" },
        { "range", """{"status":"weird"}""", Verdict.Error, "status \"weird\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Result_gives_the_verdict(string convention, string json, Verdict expected, string messagePart)
    {
        var result = Evaluate(convention == "any" ? AnySeries : Range, json);
        Assert.Equal(expected, result.Verdict);
        Assert.Contains(messagePart, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_series_is_described_with_its_labels()
    {
        var result = Evaluate(AnySeries, PromJson.Vector("7"));
        Assert.Contains("istio_requests_total{destination_workload=\"web-canary\",pod=\"p0\"} 7", result.Message, StringComparison.Ordinal);
        Assert.Equal("7", result.Value);
    }

    [Fact]
    public void Deeply_nested_json_is_an_error_not_a_crash()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        Assert.Equal(Verdict.Error, Evaluate(AnySeries, json).Verdict);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("0.5", 0.5)]
    [InlineData("1e+06", 1e6)]
    public void Values_parse_as_prometheus_writes_them(string raw, double expected)
    {
        Assert.True(PrometheusResponse.TryParseValue(raw, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData("")]
    public void Other_spellings_are_not_numbers(string raw) => Assert.False(PrometheusResponse.TryParseValue(raw, out _));
}
