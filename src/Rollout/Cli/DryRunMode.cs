namespace Rollout.Cli;

/// <summary><c>--dry-run</c>, as kubectl spells it.</summary>
public enum DryRunMode
{
    /// <summary>Restart (with <c>--confirm</c>; without it a run is a client dry run).</summary>
    None,

    /// <summary>Print what would restart and why; change nothing.</summary>
    Client,

    /// <summary>Send every restart patch with <c>dryRun=All</c>: RBAC and admission are checked, nothing changes.</summary>
    Server,
}
