using Controllers.Kube;
using Injector.Core.Configuration;
using k8s;
using Rollout.Cli;
using Rollout.Drift;
using Rollout.Execution;
using Rollout.Kube;
using Rollout.Output;
using Rollout.Planning;
using Rollout.Scheduling;
using Rollout.Selection;

namespace Rollout;

/// <summary>
/// One run from start to summary: read the injector config (drift mode), list the cluster, select, plan, and either
/// report (dry run) or restart through the scheduler; then one summary with a row for everything selected.
/// </summary>
public static class RolloutRun
{
    public static async Task<int> RunAsync(RunOptions options, IKubernetes client, IRunReporter reporter, TimeProvider time,
        CancellationToken stopStarting, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reporter);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var rows = new List<SummaryRow>();
        int Finish(int exitCode)
        {
            reporter.Summary(new RunSummary(rows, exitCode, time.GetElapsedTime(started), options.ClientDryRun));
            return exitCode;
        }

        IPodMatcher matcher;
        DriftMatcher? drift = null;
        var podSelector = options.LabelSelector;
        if (options.ByDrift)
        {
            InjectorConfig config;
            try
            {
                config = options.ConfigFile is { } file
                    ? InjectorConfigSource.FromFile(file)
                    : await InjectorConfigSource.FromConfigMapAsync(client, options.InjectorNamespace, options.InjectorConfigMap, stopStarting).ConfigureAwait(false);
            }
            catch (InjectorConfigException ex)
            {
                reporter.Log(Verbosity.Error, $"cannot read the injector config: {ex.Message}");
                return Finish(ExitCodes.Failure);
            }
            catch (OperationCanceledException)
            {
                reporter.Log(Verbosity.Warn, "interrupted");
                return Finish(ExitCodes.Failure);
            }

            var source = options.ConfigFile ?? $"ConfigMap {options.InjectorNamespace}/{options.InjectorConfigMap}";
            reporter.Log(Verbosity.Info, $"looking for sidecars the injector would now inject differently (config revision {config.Revision} from {source})");
            drift = new DriftMatcher(new DriftDetector(config));
            matcher = drift;

            // Only injected pods can carry drift: the injector labels them, so the server filters the rest out.
            var injected = $"{AnnotationKeys.InjectedLabel}=true";
            podSelector = string.IsNullOrEmpty(podSelector) ? injected : $"{injected},{podSelector}";
        }
        else
        {
            reporter.Log(Verbosity.Info, $"looking for pods with a container named {string.Join(" or ", options.SidecarContainerNames)}");
            matcher = new ContainerNameMatcher(options.SidecarContainerNames);
        }

        var scope = new ListScope
        {
            Namespaces = options.Filters.IncludeNamespaces.Order(StringComparer.Ordinal).ToList(),
            PodLabelSelector = podSelector,
            Deployments = options.Filters.IncludeDeployments,
            StatefulSets = options.Filters.IncludeStatefulSets,
            DaemonSets = options.Filters.IncludeDaemonSets,
            PageSize = options.ChunkSize,
        };
        var listing = time.GetTimestamp();
        ClusterSnapshot snapshot;
        try
        {
            snapshot = await new ClusterReader(client).ReadAsync(scope, stopStarting).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopStarting.IsCancellationRequested)
        {
            reporter.Log(Verbosity.Warn, "interrupted while listing; nothing was restarted");
            return Finish(ExitCodes.Failure);
        }
        catch (Exception ex)
        {
            reporter.Log(Verbosity.Error, $"listing the cluster failed: {KubeErrors.Describe(ex)}");
            return Finish(ExitCodes.Failure);
        }

        foreach (var warning in snapshot.Warnings)
        {
            reporter.Log(Verbosity.Warn, warning);
        }

        var listed = time.GetElapsedTime(listing);
        var selecting = time.GetTimestamp();
        var owners = new OwnerResolver(snapshot.ReplicaSets, replicaSetsListed: scope.Deployments);
        var selection = WorkloadSelector.Select(snapshot.Pods, owners, matcher, options.Filters);
        var plans = RestartPlanner.Plan(selection.Workloads, snapshot.Workloads, snapshot.Budgets);
        var selected = time.GetElapsedTime(selecting);
        rows.AddRange(selection.Skipped.Select(s => new SummaryRow(RunSummary.Skipped, s.Subject, "", s.Reason)));
        rows.AddRange(plans.Where(p => !p.Restart).Select(p => new SummaryRow(RunSummary.Skipped, p.Workload.ToString(), p.Selected.Because, p.SkipReason!)));
        var restarts = plans.Where(p => p.Restart).ToList();
        reporter.Log(Verbosity.Debug, $"listed {snapshot.Pods.Count} pods, {snapshot.ReplicaSets.Count} ReplicaSets, {snapshot.Workloads.Count} workloads, " +
            $"{snapshot.Budgets.Count} PodDisruptionBudgets in {Durations.Format(listed)}; examined {selection.PodsExamined} pods in {Durations.Format(selected)}" +
            (drift is null ? "" : $" (the engine ran on {drift.Judged}; pods of one controller with the same annotations and images share a verdict)"));
        if (options.ClientDryRun)
        {
            reporter.Plan(selection, plans, willRestart: false);
            rows.AddRange(restarts.Select(p => new SummaryRow(RunSummary.WouldRestart, p.Workload.ToString(), p.Selected.Because, string.Join("; ", p.Warnings))));
            return Finish(ExitCodes.Success);
        }

        reporter.Plan(selection, plans, willRestart: true);
        var rollout = new WorkloadRollout(new KubeWorkloadApi(client), options.Rollout, time, reporter);
        var runs = await RolloutScheduler.RunAsync(
            restarts,
            p => p.Workload.Namespace,
            async (plan, ct) =>
            {
                var outcome = await rollout.RunAsync(plan, ct).ConfigureAwait(false);
                reporter.RolloutFinished(outcome);
                return outcome;
            },
            outcome => IsFailure(outcome, options),
            options.Scheduler,
            stopStarting,
            abort,
            reporter.RolloutStarted).ConfigureAwait(false);

        var failed = false;
        foreach (var run in runs)
        {
            if (run.Outcome is { } outcome)
            {
                failed |= IsFailure(outcome, options) || outcome.Result == RolloutResult.NotStarted;
                rows.Add(new SummaryRow(RunSummary.ResultName(outcome.Result), outcome.Workload.ToString(), outcome.Reason, outcome.Detail, outcome.Elapsed));
            }
            else
            {
                failed = true;
                var why = run.NotStarted == NotStartedReason.TooManyFailures
                    ? $"not started: {options.Scheduler.MaxFailures} rollout{(options.Scheduler.MaxFailures == 1 ? "" : "s")} failed (--max-failures)"
                    : "not started: interrupted";
                rows.Add(new SummaryRow(RunSummary.NotStarted, run.Job.Workload.ToString(), run.Job.Selected.Because, why));
            }
        }

        return Finish(failed ? ExitCodes.Failure : ExitCodes.Success);
    }

    private static bool IsFailure(RolloutOutcome outcome, RunOptions options) =>
        outcome.Result == RolloutResult.Failed || (options.TimeoutIsFailure && outcome.Result == RolloutResult.TimedOut);
}
