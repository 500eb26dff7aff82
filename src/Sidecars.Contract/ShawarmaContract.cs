namespace Sidecars.Contract;

/// <summary>What the injector sets up for Shawarma and what Shawarma reads.</summary>
public static class ShawarmaContract
{
    public const string ContainerName = "shawarma";
    public const int DefaultListenPort = 8099;
    public const string DefaultUrl = "http://localhost/applicationstate";
    public const string DefaultLogLevel = "warn";

    /// <summary>Environment variables Shawarma reads (the original Go sidecar's names).</summary>
    public const string ServiceVariable = "SHAWARMA_SERVICE";
    public const string ServiceLabelsVariable = "SHAWARMA_SERVICE_LABELS";
    public const string UrlVariable = "SHAWARMA_URL";
    public const string ListenPortVariable = "SHAWARMA_LISTEN_PORT";
    public const string DisableNotifierVariable = "SHAWARMA_DISABLE_STATE_NOTIFIER";
    public const string LogLevelVariable = "LOG_LEVEL";
    public const string PodNameVariable = "MY_POD_NAME";
    public const string PodNamespaceVariable = "MY_POD_NAMESPACE";

    public const string DeploymentStatePath = "/deploymentstate";
    public const string HealthPath = "/_health";
}
