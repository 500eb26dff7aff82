namespace Sidecars.Contract;

/// <summary>What the injector sets up for proa and what proa reads.</summary>
public static class ProaContract
{
    public const string InitContainerName = "proa-init";
    public const string VolumeName = "sidecars-proa";
    public const string MountPath = "/sidecars/proa";
    public const string BinaryPath = MountPath + "/proa";

    /// <summary>Where the proa image keeps its binary (src/Dockerfile puts every program at /usr/local/bin/&lt;AssemblyName&gt;).</summary>
    public const string ImageBinaryPath = "/usr/local/bin/proa";

    /// <summary>The file name <see cref="CopyToOption"/> writes into its directory.</summary>
    public const string BinaryName = "proa";

    /// <summary>Environment variables proa reads.</summary>
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string ContainerNameVariable = "PROA_CONTAINER_NAME";
    public const string SkipWaitVariable = "PROA_SKIP_WAIT";

    public const string CopyToOption = "--copy-to";
    public const string ShutdownHttpGetOption = "--shutdown-http-get";
    public const string ShutdownHttpPostOption = "--shutdown-http-post";
    public const string StartupTimeoutOption = "--startup-timeout";

    /// <summary>Separates proa's own options from the wrapped command.</summary>
    public const string CommandSeparator = "--";
}
