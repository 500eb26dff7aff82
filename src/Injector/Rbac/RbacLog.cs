using Microsoft.Extensions.Logging;

namespace Injector.Rbac;

/// <summary>Log events of the RoleBinding loop (stable event ids 500-519).</summary>
internal static partial class RbacLog
{
    [LoggerMessage(500, LogLevel.Information, "RoleBinding loop started for sidecar ClusterRoles {ClusterRoles}")]
    public static partial void Started(ILogger logger, string clusterRoles);

    [LoggerMessage(501, LogLevel.Information, "Created RoleBinding {Namespace}/{Name} binding ClusterRole {ClusterRole} to service account {ServiceAccount}")]
    public static partial void Created(ILogger logger, string @namespace, string name, string clusterRole, string serviceAccount);

    [LoggerMessage(502, LogLevel.Information, "Updated RoleBinding {Namespace}/{Name}: restored its subject {ServiceAccount} and labels")]
    public static partial void Updated(ILogger logger, string @namespace, string name, string serviceAccount);

    [LoggerMessage(503, LogLevel.Debug, "RoleBinding {Namespace}/{Name} already exists and is up to date")]
    public static partial void UpToDate(ILogger logger, string @namespace, string name);

    [LoggerMessage(504, LogLevel.Warning, "RoleBinding {Namespace}/{Name} exists but was not created by the injector (no app.kubernetes.io/managed-by=sidecars-injector label); leaving it alone. Sidecars of service account {ServiceAccount} may lack ClusterRole {ClusterRole}")]
    public static partial void Foreign(ILogger logger, string @namespace, string name, string serviceAccount, string clusterRole);

    [LoggerMessage(505, LogLevel.Warning, "RoleBinding {Namespace}/{Name} is the injector's but refers to ClusterRole {Actual} instead of {Expected}; roleRef cannot be changed in place. Delete it and the injector recreates it")]
    public static partial void RoleRefMismatch(ILogger logger, string @namespace, string name, string actual, string expected);

    [LoggerMessage(506, LogLevel.Warning, "Could not ensure RoleBinding {Namespace}/{Name} (HTTP {Status}); will retry: {Error}")]
    public static partial void EnsureFailed(ILogger logger, string @namespace, string name, int status, string error);

    [LoggerMessage(507, LogLevel.Warning, "Listing injected pods failed (HTTP {Status}); retrying in {Delay}: {Error}")]
    public static partial void ListFailed(ILogger logger, int status, TimeSpan delay, string error);

    [LoggerMessage(508, LogLevel.Debug, "Watch of injected pods ended ({Reason}); re-listing")]
    public static partial void WatchEnded(ILogger logger, string reason);

    [LoggerMessage(509, LogLevel.Debug, "Listed {Pods} injected pods needing {Bindings} RoleBindings")]
    public static partial void Listed(ILogger logger, int pods, int bindings);

    [LoggerMessage(510, LogLevel.Debug, "Pod {Namespace}/{Pod} is labelled injected but has no readable sidecars.dev/status annotation; ignored")]
    public static partial void NoStatus(ILogger logger, string @namespace, string pod);

    [LoggerMessage(511, LogLevel.Warning, "Some RoleBindings could not be ensured; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, TimeSpan delay);

    [LoggerMessage(512, LogLevel.Information, "RoleBinding loop stopped")]
    public static partial void Stopped(ILogger logger);
}
