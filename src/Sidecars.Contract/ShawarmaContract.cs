namespace Sidecars.Contract;

/// <summary>What the injector sets up for Shawarma and what Shawarma reads.</summary>
public static class ShawarmaContract
{
    public const string ContainerName = "shawarma";
    public const int DefaultListenPort = 8099;
    public const string DefaultUrl = "http://localhost/applicationstate";
    public const string DefaultLogLevel = LogContract.Warn;

    /// <summary>The sub-command the injector passes as the container's args.</summary>
    public const string MonitorCommand = "monitor";

    /// <summary>Environment variables Shawarma reads (the original Go sidecar's names).</summary>
    public const string ServiceVariable = "SHAWARMA_SERVICE";
    public const string ServiceLabelsVariable = "SHAWARMA_SERVICE_LABELS";
    public const string UrlVariable = "SHAWARMA_URL";
    public const string ListenPortVariable = "SHAWARMA_LISTEN_PORT";
    public const string DisableNotifierVariable = "SHAWARMA_DISABLE_STATE_NOTIFIER";
    public const string LogLevelVariable = LogContract.LevelVariable;
    public const string PodNameVariable = "MY_POD_NAME";
    public const string PodNamespaceVariable = "MY_POD_NAMESPACE";

    /// <summary>
    /// The state server answers only on the pod's loopback: it is for the app in the same pod, and nothing outside
    /// the pod has a reason to learn which Service routes to it.
    /// </summary>
    public const string StateServerAddress = "127.0.0.1";

    public const string DeploymentStatePath = "/deploymentstate";
    public const string HealthPath = "/_health";

    /// <summary>The JSON the app receives (POST to the URL) and can read (GET <see cref="DeploymentStatePath"/>):
    /// <c>{"status":"active","activeServices":["web"]}</c>.</summary>
    public const string StatusField = "status";
    public const string ActiveServicesField = "activeServices";
    public const string ActiveStatus = "active";
    public const string InactiveStatus = "inactive";
}
