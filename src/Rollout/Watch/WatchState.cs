using Rollout.Selection;

namespace Rollout.Watch;

/// <summary>
/// What the watch remembers between passes: the config revision in force and since when, the last start, the
/// restarts in flight, the last restart of each workload, and workloads skipped until a later recheck. Owned by
/// the single reconcile worker; not thread-safe.
/// </summary>
public sealed class WatchState
{
    public string? Revision { get; private set; }

    public DateTimeOffset ConfigChangedAt { get; private set; }

    public DateTimeOffset? LastStart { get; set; }

    public Dictionary<WorkloadRef, InFlightRestart> InFlight { get; } = [];

    public Dictionary<WorkloadRef, RestartRecord> LastRestart { get; } = [];

    public Dictionary<WorkloadRef, (string Reason, DateTimeOffset Until)> Skipped { get; } = [];

    /// <summary>Takes a config revision; returns true when it differs from the one in force (the settle time starts).</summary>
    public bool UseRevision(string revision, DateTimeOffset now)
    {
        if (revision == Revision)
        {
            return false;
        }

        Revision = revision;
        ConfigChangedAt = now;
        return true;
    }

    /// <summary>Remembers a restart seen on the workload's pods, if it is newer than what is known.</summary>
    public void Seen(WorkloadRef workload, DateTimeOffset at, string? revision)
    {
        if (!LastRestart.TryGetValue(workload, out var known) || known.At < at - TimeSpan.FromSeconds(1))
        {
            LastRestart[workload] = new RestartRecord(at, revision, RestartOutcome.Seen);
        }
    }
}
