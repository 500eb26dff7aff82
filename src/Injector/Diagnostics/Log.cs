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

    [LoggerMessage(105, LogLevel.Error, "Failed to handle the admission request from {Remote} (uid {Uid}); answered {Answer}")]
    public static partial void AdmissionFailed(ILogger logger, string remote, string uid, string answer, Exception exception);

    [LoggerMessage(106, LogLevel.Debug, "Admission request from {Remote} ended by the client before it was answered")]
    public static partial void AdmissionAborted(ILogger logger, string remote);

    [LoggerMessage(200, LogLevel.Information, "Serving certificate loaded: {Subject} ({Thumbprint}), expires {NotAfter:O}")]
    public static partial void TlsLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(201, LogLevel.Warning, "Could not load serving certificate {File} ({Reason}); keeping the previous one: {Error}")]
    public static partial void TlsReloadFailed(ILogger logger, string file, string reason, string error);

    [LoggerMessage(202, LogLevel.Warning, "No TLS certificate configured: generated a self-signed one. Trust this CA to call the webhook: {CaFile}")]
    public static partial void SelfSigned(ILogger logger, string caFile);

    [LoggerMessage(203, LogLevel.Debug, "Serving certificate {File} is changing; reading it again once it has settled")]
    public static partial void TlsChanging(ILogger logger, string file);

    [LoggerMessage(300, LogLevel.Information, "Config {File} loaded, revision {Revision}")]
    public static partial void ConfigLoaded(ILogger logger, string file, string revision);

    [LoggerMessage(301, LogLevel.Error, "Could not load config {File} ({Reason}); keeping the previous one: {Error}")]
    public static partial void ConfigReloadFailed(ILogger logger, string file, string reason, string error);

    [LoggerMessage(302, LogLevel.Debug, "Config {File} is changing; reading it again once it has settled")]
    public static partial void ConfigChanging(ILogger logger, string file);

    [LoggerMessage(400, LogLevel.Information, "Webhook listening on https://{Address}:{Port}/mutate, health on http://{Address}:{HealthPort}")]
    public static partial void Listening(ILogger logger, string address, int port, int healthPort);

    [LoggerMessage(401, LogLevel.Error, "Unexpected failure while checking {Files} for changes; will check again")]
    public static partial void ReloadCheckFailed(ILogger logger, string files, Exception exception);

    /// <summary>Folds a message onto one line (parser messages can carry line breaks).</summary>
    public static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
