namespace Rollout.Scheduling;

/// <summary>
/// Runs jobs through a <see cref="SchedulingState{T}"/>: starts what the queue allows, waits for any to finish or for
/// <c>stopStarting</c> (Ctrl-C), and starts more. After a stop, jobs in flight run to their own end (each carries its
/// timeout); <c>abort</c> (a second Ctrl-C) is passed to them to end sooner. Every job is reported: with its outcome,
/// or as not started and why.
/// </summary>
public static class RolloutScheduler
{
    public static async Task<IReadOnlyList<ScheduledRun<TJob, TOutcome>>> RunAsync<TJob, TOutcome>(
        IReadOnlyList<TJob> jobs,
        Func<TJob, string> namespaceOf,
        Func<TJob, CancellationToken, Task<TOutcome>> run,
        Func<TOutcome, bool> isFailure,
        SchedulerOptions options,
        CancellationToken stopStarting,
        CancellationToken abort,
        Action<TJob>? started = null)
        where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(isFailure);
        var queue = new SchedulingState<TJob>(jobs, namespaceOf, options);
        var results = new Dictionary<TJob, ScheduledRun<TJob, TOutcome>>();
        var running = new Dictionary<Task<TOutcome>, TJob>();
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stopStarting.Register(() => stop.TrySetResult());
        while (true)
        {
            if (stopStarting.IsCancellationRequested)
            {
                queue.Stop();
            }

            while (queue.TryStartNext(out var job))
            {
                started?.Invoke(job);
                running.Add(Start(run, job, abort), job);
            }

            if (running.Count == 0)
            {
                break;
            }

            var waitFor = stop.Task.IsCompleted ? running.Keys.Cast<Task>() : running.Keys.Cast<Task>().Append(stop.Task);
            var done = await Task.WhenAny(waitFor).ConfigureAwait(false);
            if (done is Task<TOutcome> finished && running.Remove(finished, out var doneJob))
            {
                var outcome = await finished.ConfigureAwait(false);
                queue.Complete(doneJob, isFailure(outcome));
                results[doneJob] = new ScheduledRun<TJob, TOutcome>(doneJob, outcome, null);
            }
        }

        var reason = queue.Halted ?? NotStartedReason.Interrupted;
        foreach (var job in queue.Pending)
        {
            results[job] = new ScheduledRun<TJob, TOutcome>(job, default, reason);
        }

        return jobs.Select(j => results[j]).ToList();
    }

    // The job runs on the thread pool: a synchronous start (or a throw) must not stall or break the loop.
    private static Task<TOutcome> Start<TJob, TOutcome>(Func<TJob, CancellationToken, Task<TOutcome>> run, TJob job, CancellationToken abort) =>
        Task.Run(() => run(job, abort), CancellationToken.None);
}
