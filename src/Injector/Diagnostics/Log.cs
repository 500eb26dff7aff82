namespace Injector.Diagnostics;

/// <summary>Every log line the injector writes, with stable event ids (1xx admission, 2xx TLS, 3xx config, 4xx host).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Injected {Sidecars} into pod {Namespace}/{Pod} (owner {Owner}, uid {Uid}, {Operations} patch operations)")]
    public static partial void Injected(ILogger logger, string sidecars, string @namespace, string pod, string owner, string uid, int operations);

    [LoggerMessage(101, LogLevel.Debug, "Pod {Namespace}/{Pod} (owner {Owner}, uid {Uid}) already up to date; no patch")]
    public static partial void Unchanged(ILogger logger, string @namespace, string pod, string owner, string uid);

    [LoggerMessage(102, LogLevel.Debug, "Skipped {Namespace}/{Pod} (uid {Uid}): {Reason}")]
    public static partial void Skipped(ILogger logger, string @namespace, string pod, string uid, string reason);

    [LoggerMessage(103, LogLevel.Warning, "Denied pod {Namespace}/{Pod} (owner {Owner}, uid {Uid}): {Message}")]
    public static partial void Denied(ILogger logger, string @namespace, string pod, string owner, string uid, string message);

    [LoggerMessage(104, LogLevel.Warning, "Rejected admission request from {Remote}: {Message}")]
    public static partial void BadRequest(ILogger logger, string remote, string message);

    [LoggerMessage(200, LogLevel.Information, "Serving certificate loaded: {Subject} ({Thumbprint}), expires {NotAfter:O}")]
    public static partial void TlsLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(201, LogLevel.Warning, "Could not load serving certificate {File}; keeping the previous one: {Error}")]
    public static partial void TlsReloadFailed(ILogger logger, string file, string? error);

    [LoggerMessage(202, LogLevel.Warning, "No TLS certificate configured: generated a self-signed one. Trust this CA to call the webhook: {CaFile}")]
    public static partial void SelfSigned(ILogger logger, string caFile);

    [LoggerMessage(300, LogLevel.Information, "Config {File} loaded, revision {Revision}")]
    public static partial void ConfigLoaded(ILogger logger, string file, string revision);

    [LoggerMessage(301, LogLevel.Error, "Could not load config {File}; keeping the previous one: {Error}")]
    public static partial void ConfigReloadFailed(ILogger logger, string file, string? error);

    [LoggerMessage(400, LogLevel.Information, "Webhook listening on https://{Address}:{Port}/mutate, health on http://{Address}:{HealthPort}")]
    public static partial void Listening(ILogger logger, string address, int port, int healthPort);
}
