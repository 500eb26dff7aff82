using Sidecars.Runtime.Logging;

namespace Proa.Cli;

/// <summary>Validated command line.</summary>
internal sealed record ProaOptions(
    IReadOnlyList<Uri> ShutdownGet,
    IReadOnlyList<Uri> ShutdownPost,
    TimeSpan? StartupTimeout,
    string? Kubeconfig,
    bool Verbose,
    LogFormat LogFormat,
    string Command,
    IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// Default wait for the sidecars. Not "forever" (the original's behaviour): a pod stuck waiting is worse than a
    /// pod that fails with a message saying which sidecar never became ready. 10 minutes covers slow image pulls.
    /// </summary>
    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromMinutes(10);
}
