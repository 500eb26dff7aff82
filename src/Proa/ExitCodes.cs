namespace Proa;

/// <summary>
/// Exit codes proa uses for itself. The wrapped command's own exit code (or 128+signal) is passed through unchanged;
/// these only appear when the command never ran, so they cannot be confused with it.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>The sidecars did not become ready within <c>--startup-timeout</c>.</summary>
    public const int StartupTimeout = 3;

    /// <summary>A sidecar terminated for good (or crash-looped, or the pod failed) while we waited.</summary>
    public const int SidecarFailed = 4;

    /// <summary>proa could not find its own pod (no namespace, no kubeconfig, pod not found).</summary>
    public const int Config = 5;

    /// <summary>The command exists but could not be executed (shell convention).</summary>
    public const int CannotExecute = 126;

    /// <summary>The command was not found on PATH (shell convention).</summary>
    public const int CommandNotFound = 127;

    /// <summary>Exit status of a process killed by <paramref name="signal"/> (shell convention).</summary>
    public static int ForSignal(int signal) => 128 + signal;
}
