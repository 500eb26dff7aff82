using System.Net;
using Controllers.Kube;
using Rollout.Kube;
using Rollout.Planning;
using Rollout.Waiting;

namespace Rollout.Execution;

/// <summary>
/// One workload's restart: the merge patch (retried on conflicts, throttling and server errors), then polling the
/// workload until kubectl's rules call it complete for the generation the patch returned, or failed, or the timeout
/// passes (its own result: it may still complete). A failure or a timeout names the pods that are stuck. Never
/// throws: every ending is an outcome.
/// </summary>
public sealed class WorkloadRollout
{
    public const string ReasonPrefix = "sidecar-rollout: ";

    private readonly IWorkloadApi _api;
    private readonly RolloutSettings _settings;
    private readonly TimeProvider _time;
    private readonly IRolloutObserver? _observer;

    public WorkloadRollout(IWorkloadApi api, RolloutSettings settings, TimeProvider time, IRolloutObserver? observer = null)
    {
        _api = api;
        _settings = settings;
        _time = time;
        _observer = observer;
    }

    public async Task<RolloutOutcome> RunAsync(PlannedRestart plan, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            return await RunCoreAsync(plan, abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The scheduler relies on an outcome per job; an unexpected error is this workload's failure, not the run's.
            return new RolloutOutcome(plan.Workload, RolloutResult.Failed, "unexpected error: " + KubeErrors.Describe(ex), TimeSpan.Zero)
            {
                Reason = plan.Selected.Because,
                Warnings = plan.Warnings,
            };
        }
    }

    private async Task<RolloutOutcome> RunCoreAsync(PlannedRestart plan, CancellationToken abort)
    {
        var workload = plan.Workload;
        var started = _time.GetTimestamp();
        RolloutOutcome Outcome(RolloutResult result, string detail) =>
            new(workload, result, detail, _time.GetElapsedTime(started)) { Reason = plan.Selected.Because, Warnings = plan.Warnings };

        long generation;
        try
        {
            var body = RestartPatch.Body(_settings.AnnotationPrefix, _time.GetUtcNow(), ReasonPrefix + plan.Selected.Because);
            generation = await PatchWithRetriesAsync(workload, body, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return Outcome(RolloutResult.NotStarted, "interrupted before the restart was sent");
        }
        catch (Exception ex)
        {
            return KubeErrors.StatusOf(ex) == HttpStatusCode.NotFound
                ? Outcome(RolloutResult.Skipped, "deleted before the restart")
                : Outcome(RolloutResult.Failed, "the restart patch was " + KubeErrors.Describe(ex));
        }

        _observer?.Patched(workload, generation, _settings.ServerDryRun);
        if (_settings.ServerDryRun)
        {
            return Outcome(RolloutResult.Accepted, $"the API server accepted the restart (dryRun=All; generation would be {generation})");
        }

        return await WaitAsync(plan, generation, Outcome, abort).ConfigureAwait(false);
    }

    private async Task<RolloutOutcome> WaitAsync(PlannedRestart plan, long generation, Func<RolloutResult, string, RolloutOutcome> outcome, CancellationToken abort)
    {
        var workload = plan.Workload;
        var deadline = _time.GetUtcNow() + _settings.Timeout;
        RolloutProgress? last = null;
        string? lastError = null;
        while (true)
        {
            WorkloadState? state = null;
            try
            {
                state = await _api.GetAsync(workload, abort).ConfigureAwait(false);
                lastError = null;
                if (state is null)
                {
                    return outcome(RolloutResult.Skipped, "deleted during the rollout");
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return outcome(RolloutResult.TimedOut, $"interrupted while waiting (may still complete): {last?.Message ?? "restart sent"}");
            }
            catch (Exception ex) when (KubeErrors.IsTransient(ex))
            {
                lastError = KubeErrors.Describe(ex); // keep polling until the deadline
            }
            catch (Exception ex)
            {
                return outcome(RolloutResult.Failed, "reading it while waiting " + KubeErrors.Describe(ex));
            }

            if (state is not null)
            {
                var progress = RolloutStatusRules.Evaluate(state, generation);
                if (progress != last)
                {
                    _observer?.Progress(workload, progress);
                    last = progress;
                }

                switch (progress.State)
                {
                    case RolloutState.Complete:
                        return outcome(RolloutResult.Restarted, progress.Message);
                    case RolloutState.Failed:
                        return outcome(RolloutResult.Failed, await WithStuckPodsAsync(progress.Message, state, abort).ConfigureAwait(false));
                }
            }

            if (_time.GetUtcNow() >= deadline)
            {
                var status = last?.Message ?? lastError ?? "no status read";
                var message = $"not complete after {Durations.Format(_settings.Timeout)} (may still complete): {status}";
                return outcome(RolloutResult.TimedOut, state is null ? message : await WithStuckPodsAsync(message, state, abort).ConfigureAwait(false));
            }

            try
            {
                var wait = Min(_settings.PollInterval, deadline - _time.GetUtcNow());
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return outcome(RolloutResult.TimedOut, $"interrupted while waiting (may still complete): {last?.Message ?? "restart sent"}");
            }
        }
    }

    private async Task<long> PatchWithRetriesAsync(Selection.WorkloadRef workload, string body, CancellationToken abort) =>
        (await PatchWithRetriesAsync(_api, workload, body, _settings.ServerDryRun, _settings.PatchAttempts, _time, abort).ConfigureAwait(false)).Generation;

    /// <summary>The patch, retried with backoff on 409, 429, 5xx and transport errors; other answers are thrown.</summary>
    public static async Task<WorkloadState> PatchWithRetriesAsync(IWorkloadApi api, Selection.WorkloadRef workload, string body, bool dryRun, int attempts, TimeProvider time, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(api);
        var backoff = new Sidecars.Kube.Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await api.PatchTemplateAsync(workload, body, dryRun, abort).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < attempts && KubeErrors.IsTransient(ex) && !abort.IsCancellationRequested)
            {
                await Task.Delay(backoff.Next(), time, abort).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Adds the stuck pods (CrashLoopBackOff, ImagePullBackOff, Unschedulable...) to a failure; one list call.</summary>
    private async Task<string> WithStuckPodsAsync(string message, WorkloadState state, CancellationToken abort)
    {
        if (state.Selector is null)
        {
            return message;
        }

        try
        {
            var pods = await _api.ListPodsAsync(state.Workload.Namespace, LabelSelectors.ToQuery(state.Selector), abort).ConfigureAwait(false);
            return PodProblems.Describe(pods) is { } stuck ? $"{message}; stuck pods: {stuck}" : message;
        }
        catch (Exception)
        {
            return message; // naming stuck pods is a courtesy: the failure stands without it
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
