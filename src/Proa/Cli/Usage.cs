using Sidecars.Contract;

namespace Proa.Cli;

internal static class Usage
{
    public static readonly string Text = $"""
        Usage: proa [OPTIONS] [{ProaContract.CommandSeparator}] COMMAND [ARGS...]
               proa {ProaContract.CopyToOption} DIR     copy this executable to DIR/{ProaContract.BinaryName} (the injected init container does this)

        Waits until every other container of this pod (native sidecars included) is ready, runs COMMAND with
        the same stdio and environment, forwards SIGTERM/SIGINT/SIGHUP/SIGQUIT to it, and when it exits calls the
        shutdown URLs, waits for the other containers to stop (bounded by terminationGracePeriodSeconds) and exits
        with COMMAND's exit code (128+N if it was killed by signal N).

        Options:
          {ProaContract.ShutdownHttpGetOption} URL    GET this URL when COMMAND exits (repeatable)
          {ProaContract.ShutdownHttpPostOption} URL   POST an empty body to this URL when COMMAND exits (repeatable)
          {ProaContract.StartupTimeoutOption} D        how long to wait for the sidecars: 90s, 5m, 1h30m or plain seconds,
                                     at most 24h; 0 waits forever (default 10m)
          --kubeconfig PATH          kubeconfig to use outside a cluster (default: KUBECONFIG, then in-cluster,
                                     then ~/.kube/config)
          {LogContract.FormatOption} F           {LogContract.JsonFormat} (default when stderr is not a terminal) or {LogContract.TextFormat} [{LogContract.FormatVariable}]
          -v, --verbose              log every pod update
          -h, --help                 show this help

        Environment:
          {ProaContract.PodNameVariable}, {ProaContract.PodNamespaceVariable}    this pod (defaults: the hostname; the service account's namespace file)
          {ProaContract.ContainerNameVariable}        the container proa runs in (default: read from /proc/self/mountinfo,
                                     else the pod's first container)
          {ProaContract.SkipWaitVariable}=true        do not wait for the sidecars (escape hatch); shutdown actions still run

        Exit codes: COMMAND's own; 2 bad usage; 3 startup timeout; 4 a sidecar failed while waiting;
        5 own pod not found / no API access; 126 COMMAND not executable; 127 COMMAND not found.
        """;
}
