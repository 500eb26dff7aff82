using Sidecars.Contract;

namespace Sidecars.Runtime.Logging;

/// <summary>Parses the level and format names of <see cref="LogContract"/>; errors are sentences for the user.</summary>
public static class LogSettings
{
    /// <summary>JSON unless stderr is a terminal: containers get machine-readable lines, people get text.</summary>
    public static LogFormat DefaultFormat => Console.IsErrorRedirected ? LogFormat.Json : LogFormat.Text;

    /// <summary>
    /// The format to report errors in before the command line is understood: <c>LOG_FORMAT</c> when it is valid,
    /// else <see cref="DefaultFormat"/>.
    /// </summary>
    public static LogFormat EarlyFormat(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return TryParseFormat(environment(LogContract.FormatVariable), DefaultFormat, out var format, out _) ? format : DefaultFormat;
    }

    /// <summary>Parses <c>json</c> or <c>text</c> (any case); null or blank means <paramref name="fallback"/>.</summary>
    public static bool TryParseFormat(string? text, LogFormat fallback, out LogFormat format, out string? error)
    {
        error = null;
        format = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case LogContract.JsonFormat:
                format = LogFormat.Json;
                return true;
            case LogContract.TextFormat:
                format = LogFormat.Text;
                return true;
            default:
                error = $"log format '{text}' is not one of {LogContract.JsonFormat}, {LogContract.TextFormat}";
                return false;
        }
    }

    /// <summary>
    /// Parses a level name. Also takes logrus's <c>panic</c> and <c>fatal</c> (as <c>error</c>) and <c>warning</c>,
    /// which manifests written for the original Go shawarma use.
    /// </summary>
    public static bool TryParseLevel(string? text, LogLevel fallback, out LogLevel level, out string? error)
    {
        error = null;
        level = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case LogContract.Error or "panic" or "fatal":
                level = LogLevel.Error;
                return true;
            case LogContract.Warn or "warning":
                level = LogLevel.Warn;
                return true;
            case LogContract.Info:
                level = LogLevel.Info;
                return true;
            case LogContract.Debug:
                level = LogLevel.Debug;
                return true;
            case LogContract.Trace:
                level = LogLevel.Trace;
                return true;
            default:
                error = $"log level '{text}' is not one of {string.Join(", ", LogContract.Levels)}";
                return false;
        }
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Error => LogContract.Error,
        LogLevel.Warn => LogContract.Warn,
        LogLevel.Info => LogContract.Info,
        LogLevel.Debug => LogContract.Debug,
        _ => LogContract.Trace,
    };
}
