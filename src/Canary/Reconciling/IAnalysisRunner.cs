using Canary.Analysis;
using Canary.Api;

namespace Canary.Reconciling;

/// <summary>Runs one check for a CanaryApp. Never throws for Prometheus failures: they are <see cref="Verdict.Error"/>.</summary>
public interface IAnalysisRunner
{
    Task<AnalysisResult> RunAsync(CanaryApp app, EffectiveSpec spec, CancellationToken cancellationToken);
}
