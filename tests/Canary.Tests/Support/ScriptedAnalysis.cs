using Canary.Analysis;
using Canary.Api;
using Canary.Reconciling;

namespace Canary.Tests.Support;

/// <summary>A Prometheus stand-in for the tick tests: answers with the next scripted result (the last one repeats),
/// and records the weight at which each check ran.</summary>
internal sealed class ScriptedAnalysis(FakeWorld world) : IAnalysisRunner
{
    private readonly Queue<AnalysisResult> _script = new();
    private AnalysisResult _last = Pass;

    public static AnalysisResult Pass { get; } = new(Verdict.Pass, "0.01", "0.01 is within [-, 0.05]");

    public static AnalysisResult Fail { get; } = new(Verdict.Fail, "0.2", "0.2 is outside [-, 0.05]");

    public static AnalysisResult NoData { get; } = new(Verdict.NoData, "[]", "the query returned no series");

    public static AnalysisResult Error { get; } = AnalysisResult.Error("Prometheus answered 503 Service Unavailable");

    public List<int> CheckedAtWeights { get; } = [];

    public ScriptedAnalysis Then(params AnalysisResult[] results)
    {
        foreach (var r in results)
        {
            _script.Enqueue(r);
        }

        return this;
    }

    public Task<AnalysisResult> RunAsync(CanaryApp app, EffectiveSpec spec, CancellationToken cancellationToken)
    {
        CheckedAtWeights.Add(world.RouteWeight ?? 0);
        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }

        return Task.FromResult(_last);
    }
}
