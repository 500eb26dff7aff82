namespace Injector.Cli;

/// <summary>
/// Settings of the <c>serve</c> verb. The command line fills them (<see cref="ServeCommandLine"/> holds the defaults
/// and environment variables); tests construct them directly.
/// </summary>
internal sealed record ServeOptions
{
    public int Port { get; init; } = 8443;

    public int HealthPort { get; init; } = 8080;

    /// <summary>Address to bind; <c>*</c> means every interface (in a pod), tests use 127.0.0.1.</summary>
    public string ListenAddress { get; init; } = "*";

    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    public string? ConfigFile { get; init; }

    /// <summary>Where the self-signed CA and certificate go when no certificate is configured.</summary>
    public string? SelfSignedDir { get; init; }

    /// <summary><c>shawarma=ROLE,proa=ROLE</c>; when set, the RoleBinding loop runs.</summary>
    public string? SidecarClusterRoles { get; init; }

    /// <summary>Kubeconfig for the RoleBinding loop; null: in-cluster when in a pod, else <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Context of <see cref="Kubeconfig"/> to use; null: its current-context.</summary>
    public string? KubeContext { get; init; }

    public long MaxRequestBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>
    /// Collect the start-up garbage once started, and give memory back after each burst of reviews
    /// (<see cref="Hosting.IdleMemoryTrimmer"/>). The <c>serve</c> verb turns it on; tests that host several webhooks
    /// in one process leave it off, as a full collection there pauses every test running beside it.
    /// </summary>
    public bool TrimMemory { get; init; }

    public bool JsonLogs { get; init; } = true;

    /// <summary>Minimum level logged; per-review lines are Information (injected, denied) and Debug (skipped).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// How often the cert and config files are re-read regardless of file events (internal: the fallback for volumes
    /// that raise no inotify events; tests set it far apart from the event path to tell the two apart).
    /// </summary>
    public TimeSpan ReloadPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Internal: watch the files' directories for events (off only in the poll-fallback test).</summary>
    public bool WatchFileEvents { get; init; } = true;

    /// <summary>
    /// Internal: quiet time after a file event before reading, and the minimum gap between the two equal reads a
    /// change needs before it is used (an in-place write in progress reads differently twice).
    /// </summary>
    public TimeSpan ReloadSettleTime { get; init; } = TimeSpan.FromMilliseconds(250);
}
