using Microsoft.Extensions.Logging;

namespace Controllers.Kube;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "Listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string? resourceVersion);

    [LoggerMessage(1002, LogLevel.Warning, "Listing {Kind} failed, retrying in {Delay}: {Message}")]
    public static partial void ListFailed(ILogger logger, string kind, TimeSpan delay, string message);

    [LoggerMessage(1003, LogLevel.Information, "Watch of {Kind} expired at resourceVersion {ResourceVersion} (410 Gone): relisting")]
    public static partial void WatchGone(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(1004, LogLevel.Warning, "Watch of {Kind} failed: {Message}")]
    public static partial void WatchFailed(ILogger logger, string kind, string message);

    [LoggerMessage(1005, LogLevel.Information, "Watch of {Kind} sent nothing for {Timeout}: restarting it")]
    public static partial void WatchIdle(ILogger logger, string kind, TimeSpan timeout);

    [LoggerMessage(1006, LogLevel.Error, "A {Kind} event handler failed")]
    public static partial void HandlerFailed(ILogger logger, string kind, Exception exception);

    [LoggerMessage(1010, LogLevel.Debug, "Reconciled {Key} in {Elapsed}; next in {Requeue}")]
    public static partial void Reconciled(ILogger logger, ObjectKey key, TimeSpan elapsed, TimeSpan? requeue);

    [LoggerMessage(1011, LogLevel.Warning, "Reconciling {Key} failed ({Failures} in a row), retrying in backoff: {Message}")]
    public static partial void ReconcileFailed(ILogger logger, ObjectKey key, int failures, string message, Exception? exception);

    [LoggerMessage(1020, LogLevel.Information, "Leader election: {Identity} became the leader of {Lease}")]
    public static partial void StartedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(1021, LogLevel.Warning, "Leader election: {Identity} stopped leading {Lease}")]
    public static partial void StoppedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(1022, LogLevel.Information, "Leader election: the leader of {Lease} is {Leader}")]
    public static partial void NewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(1023, LogLevel.Debug, "Leader election: {Message}")]
    public static partial void LeaseError(ILogger logger, string message);

    [LoggerMessage(1024, LogLevel.Information, "Leader election: released {Lease}")]
    public static partial void Released(ILogger logger, string lease);

    [LoggerMessage(1025, LogLevel.Warning, "Leader election: could not release {Lease}: {Message}")]
    public static partial void ReleaseFailed(ILogger logger, string lease, string message);

    [LoggerMessage(1030, LogLevel.Warning, "Recording event {Reason} on {Object} failed: {Message}")]
    public static partial void EventFailed(ILogger logger, string reason, string @object, string message);
}
