namespace TestKit.Kube.Server;

/// <summary>How a <see cref="KubeApiServer"/> is started.</summary>
public sealed record KubeApiServerOptions
{
    /// <summary>Serve HTTPS with a certificate from a fresh throwaway CA (default), or plain HTTP.</summary>
    public bool Https { get; init; } = true;

    /// <summary>
    /// Reject requests without a known bearer token or a client certificate from the server's CA with 401 (default
    /// off: every request is served, as user <c>system:anonymous</c>).
    /// </summary>
    public bool RequireAuthentication { get; init; }

    /// <summary>Bearer tokens the server accepts, and the user each one authenticates as.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; init; } = new Dictionary<string, string> { [KubeApiServer.DefaultToken] = "testkit-admin" };

    /// <summary>The clock for creationTimestamps, deletionTimestamps and simulated controllers (watch timeouts use real time).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Resource types registered besides <see cref="ResourceTypes.BuiltIn"/> (custom resources).</summary>
    public IReadOnlyList<ResourceType> CustomResources { get; init; } = [];

    /// <summary>Changes kept for watches and exact lists; older resourceVersions answer 410.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>The server-side end of a watch that asks for no timeoutSeconds.</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Periodic BOOKMARK events on watches that allow them (null: only explicit ones and one before a watch times out).</summary>
    public TimeSpan? BookmarkInterval { get; init; }

    /// <summary>How long a list waits for a resourceVersion newer than the store before answering 504 (the watch cache waits 3 s).</summary>
    public TimeSpan TooLargeResourceVersionWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>404 for objects created in a namespace that does not exist (the NamespaceLifecycle admission plugin).</summary>
    public bool RequireNamespaces { get; init; }

    /// <summary>
    /// Decides whether a request is allowed (after authentication); a denied request gets the RBAC authorizer's 403.
    /// Null allows everything.
    /// </summary>
    public Func<RecordedRequest, bool>? Authorize { get; init; }
}
