using Sidecars.Contract;

namespace Shawarma.Cli;

internal static class Usage
{
    public static readonly string Text = $"""
        NAME:
           shawarma {ShawarmaContract.MonitorCommand} - Monitor a Kubernetes Service and tell the application whether this pod receives traffic

        USAGE:
           shawarma {ShawarmaContract.MonitorCommand} [options]

        OPTIONS:
           --service value          Name of the Kubernetes service to monitor [${ShawarmaContract.ServiceVariable}]
           --service-labels value   Kubernetes service labels to monitor, comma-delimited ex. label1=value1,label2=value2
                                    (with --service too, all must match) [${ShawarmaContract.ServiceLabelsVariable}]
           --pod value              Kubernetes pod name, typically a fieldRef to fieldPath: metadata.name [${ShawarmaContract.PodNameVariable}]
           --namespace value        Kubernetes namespace, typically a fieldRef to fieldPath: metadata.namespace [${ShawarmaContract.PodNamespaceVariable}]
           --url value              URL which receives a POST on state change (default: "{ShawarmaContract.DefaultUrl}") [${ShawarmaContract.UrlVariable}]
           --disable-notifier       Do not POST state changes; only serve GET {ShawarmaContract.DeploymentStatePath} (default: false) [${ShawarmaContract.DisableNotifierVariable}]
           --listen-port value      Port of the local ({ShawarmaContract.StateServerAddress}) HTTP server: GET {ShawarmaContract.DeploymentStatePath}, GET {ShawarmaContract.HealthPath} (default: {ShawarmaContract.DefaultListenPort}) [${ShawarmaContract.ListenPortVariable}]
           --log-level value        Log level: {string.Join(", ", LogContract.Levels)} (default: "{ShawarmaContract.DefaultLogLevel}") [${LogContract.LevelVariable}]
           --log-format value       {LogContract.JsonFormat} (default when stderr is not a terminal) or {LogContract.TextFormat} [${LogContract.FormatVariable}]
           --kubeconfig value       kubeconfig file for running outside a cluster (default: $KUBECONFIG, else the in-cluster service account, else ~/.kube/config)
           --context value          context of the kubeconfig to use (default: its current-context)
           --help, -h               Show help

        The command line takes precedence over environment variables.
        Exit codes: 0 stopped by SIGTERM/SIGINT, 1 invalid configuration or no usable Kubernetes configuration.
        """;
}
