using Canary.Api;
using Canary.Hosting;
using k8s;

namespace Canary.Reconciling;

/// <summary>
/// One reconcile of one CanaryApp: observe, decide (running the check when the decision asks for it, then deciding
/// again with its result), write the status if it changed, record the Events, execute the actions in order, record
/// the metrics. Returns when to look again. The same code runs in the controller and in the tick-by-tick tests.
/// </summary>
public sealed class CanaryReconcile(ICanaryWorld world, IAnalysisRunner analysis, ICanaryEventSink events, CanaryMetrics metrics, TimeProvider time)
{
    public async Task<TimeSpan?> ReconcileAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var observation = await world.ObserveAsync(@namespace, name, now, cancellationToken).ConfigureAwait(false);
        if (observation is null)
        {
            metrics.Forget(@namespace, name);
            return null;
        }

        var decision = Reconciler.Decide(observation);
        if (decision.NeedsAnalysis)
        {
            var spec = EffectiveSpec.From(observation.App.Spec);
            var result = await analysis.RunAsync(observation.App, spec, cancellationToken).ConfigureAwait(false);
            decision = Reconciler.Decide(observation with { Analysis = result });
            if (decision.NeedsAnalysis)
            {
                throw new InvalidOperationException("the reconciler asked for a check twice in one reconcile");
            }
        }

        // The status first: it is the controller's only memory (timers, failed checks, failed revisions), so it is
        // written before the world is changed. A refused write (409: the CanaryApp changed since it was read) then
        // changes nothing and the retry decides afresh; an action that fails after it is redone by the next
        // reconcile, which reads the world. The other order let a lost status write take the next step at once or
        // forget a rollback and send traffic to the failed revision again.
        if (!SameStatus(observation.App.Status, decision.Status))
        {
            await world.WriteStatusAsync(observation.App, decision.Status, cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in decision.Events)
        {
            await events.RecordAsync(observation.App, e, cancellationToken).ConfigureAwait(false);
        }

        foreach (var action in decision.Actions)
        {
            await world.ExecuteAsync(observation.App, action, cancellationToken).ConfigureAwait(false);
        }

        metrics.Record(observation.App, decision);
        return decision.RequeueAfter;
    }

    private static bool SameStatus(CanaryAppStatus? before, CanaryAppStatus after) =>
        before is not null && KubernetesJson.Serialize(before) == KubernetesJson.Serialize(after);
}
