using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>
/// The watch's pace, as a pure decision: nothing before a config has been loaded and has settled; one restart in
/// flight per namespace and at most <see cref="WatchPace.Parallel"/> overall; at least
/// <see cref="WatchPace.Interval"/> between two starts; a workload at most once per <see cref="WatchPace.Cooldown"/>;
/// a workload whose restart under the current config settled and left it outdated is not restarted again until
/// the config changes (restarting it would only churn: the injector is not serving this config yet).
/// </summary>
public static class WatchScheduler
{
    public static WatchDecision Next(WatchState state, IReadOnlyList<SelectedWorkload> outdated, WatchPace pace, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outdated);
        ArgumentNullException.ThrowIfNull(pace);
        if (state.Revision is null)
        {
            return new WatchDecision.Wait(null, "no injector config loaded yet");
        }

        var settled = state.ConfigChangedAt + pace.Settle;
        if (now < settled)
        {
            return new WatchDecision.Wait(settled, $"giving the injector time to load config revision {state.Revision}");
        }

        if (state.InFlight.Count >= pace.Parallel)
        {
            return new WatchDecision.Wait(null, $"{state.InFlight.Count} restarts in flight");
        }

        var busy = state.InFlight.Keys.Select(w => w.Namespace).ToHashSet(StringComparer.Ordinal);
        DateTimeOffset? wake = null;
        foreach (var candidate in outdated.OrderBy(w => w.Workload, WorkloadRef.Order))
        {
            var workload = candidate.Workload;
            if (state.InFlight.ContainsKey(workload) || busy.Contains(workload.Namespace))
            {
                continue;
            }

            if (state.Skipped.TryGetValue(workload, out var skip) && now < skip.Until)
            {
                wake = Earliest(wake, skip.Until);
                continue;
            }

            if (state.LastRestart.TryGetValue(workload, out var last))
            {
                if (last.Outcome == RestartOutcome.Settled && last.Revision == state.Revision)
                {
                    continue;
                }

                if (now < last.At + pace.Cooldown)
                {
                    wake = Earliest(wake, last.At + pace.Cooldown);
                    continue;
                }
            }

            if (state.LastStart is { } lastStart && now < lastStart + pace.Interval)
            {
                return new WatchDecision.Wait(lastStart + pace.Interval, $"pacing: next restart ({workload}) after --interval");
            }

            return new WatchDecision.Start(candidate);
        }

        return new WatchDecision.Wait(wake, "nothing to restart now");
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
