namespace Injector.Cli;

/// <summary>Settings of the <c>serve</c> verb; each flag has an environment variable (flag wins).</summary>
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

    public long MaxRequestBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>How often cert and config files are re-checked besides file-system events.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool JsonLogs { get; init; } = true;

    /// <summary>Minimum level logged; per-review lines are Information (injected, denied) and Debug (skipped).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
