namespace Shawarma.Cli;

internal static class Usage
{
    public const string Text = """
        NAME:
           shawarma monitor - Monitor a Kubernetes Service and tell the application whether this pod receives traffic

        USAGE:
           shawarma monitor [options]

        OPTIONS:
           --service value          Name of the Kubernetes service to monitor [$SHAWARMA_SERVICE]
           --service-labels value   Kubernetes service labels to monitor, comma-delimited ex. label1=value1,label2=value2
                                    (with --service too, all must match) [$SHAWARMA_SERVICE_LABELS]
           --pod value              Kubernetes pod name, typically a fieldRef to fieldPath: metadata.name [$MY_POD_NAME]
           --namespace value        Kubernetes namespace, typically a fieldRef to fieldPath: metadata.namespace [$MY_POD_NAMESPACE]
           --url value              URL which receives a POST on state change (default: "http://localhost/applicationstate") [$SHAWARMA_URL]
           --disable-notifier       Do not POST state changes; only serve GET /deploymentstate (default: false) [$SHAWARMA_DISABLE_STATE_NOTIFIER]
           --listen-port value      Port of the local (127.0.0.1) HTTP server: GET /deploymentstate, GET /_health (default: 8099) [$SHAWARMA_LISTEN_PORT]
           --log-level value        Log level: panic, fatal, error, warn, info, debug, trace (default: "warn") [$LOG_LEVEL]
           --kubeconfig value       kubeconfig file for running outside a cluster (default: $KUBECONFIG, else the in-cluster service account)
           --help, -h               Show help

        The command line takes precedence over environment variables.
        """;
}
