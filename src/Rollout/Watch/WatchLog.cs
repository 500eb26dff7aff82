using Microsoft.Extensions.Logging;

namespace Rollout.Watch;

internal static partial class WatchLog
{
    [LoggerMessage(2001, LogLevel.Information, "Injector config revision {Revision} loaded from ConfigMap {ConfigMap}")]
    public static partial void ConfigLoaded(ILogger logger, string revision, string configMap);

    [LoggerMessage(2002, LogLevel.Error, "Injector config in ConfigMap {ConfigMap} is not usable, keeping revision {Revision}: {Message}")]
    public static partial void ConfigRejected(ILogger logger, string configMap, string? revision, string message);

    [LoggerMessage(2003, LogLevel.Warning, "Injector ConfigMap {ConfigMap} was deleted; keeping revision {Revision}")]
    public static partial void ConfigDeleted(ILogger logger, string configMap, string? revision);

    [LoggerMessage(2010, LogLevel.Information, "Restarting {Workload}: {Reason}")]
    public static partial void Restarting(ILogger logger, string workload, string reason);

    [LoggerMessage(2011, LogLevel.Information, "{Workload} skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, string workload, string reason);

    [LoggerMessage(2012, LogLevel.Warning, "{Workload} could not be restarted: {Message}")]
    public static partial void RestartFailed(ILogger logger, string workload, string message);

    [LoggerMessage(2013, LogLevel.Information, "{Workload} settled: its {Pods} pods were replaced")]
    public static partial void Settled(ILogger logger, string workload, int pods);

    [LoggerMessage(2014, LogLevel.Warning, "{Workload} did not settle within {Timeout} (it may still complete); its namespace is free again")]
    public static partial void TimedOut(ILogger logger, string workload, TimeSpan timeout);

    [LoggerMessage(2015, LogLevel.Warning, "{Workload} is still outdated after its restart under config revision {Revision}: is the injector serving that config? It is not restarted again until the config changes")]
    public static partial void StillOutdated(ILogger logger, string workload, string revision);

    [LoggerMessage(2020, LogLevel.Debug, "Pass: {Outdated} outdated workloads, {InFlight} in flight; next: {Why}")]
    public static partial void Pass(ILogger logger, int outdated, int inFlight, string why);

    [LoggerMessage(2030, LogLevel.Information, "sidecar-rollout watch started (identity {Identity}, Lease {LeaseNamespace}/{LeaseName}, health on :{Port})")]
    public static partial void Started(ILogger logger, string identity, string leaseNamespace, string leaseName, int port);

    [LoggerMessage(2031, LogLevel.Information, "sidecar-rollout watch stopped")]
    public static partial void Stopped(ILogger logger);
}
