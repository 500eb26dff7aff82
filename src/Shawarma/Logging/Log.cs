using System.Globalization;
using System.Text;

namespace Shawarma.Logging;

/// <summary>
/// Minimal logfmt logger to stderr (logrus-like: <c>time=... level=info msg="..."</c>). Microsoft.Extensions.Logging
/// would add size to a sidecar that logs a handful of lines.
/// </summary>
internal sealed class Log
{
    private readonly TextWriter _writer;
    private readonly Lock _lock = new();

    public Log(LogLevel level, TextWriter? writer = null)
    {
        Level = level;
        _writer = writer ?? Console.Error;
    }

    public LogLevel Level { get; }

    public static bool TryParseLevel(string text, out LogLevel level)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "panic": level = LogLevel.Panic; return true;
            case "fatal": level = LogLevel.Fatal; return true;
            case "error": level = LogLevel.Error; return true;
            case "warn" or "warning": level = LogLevel.Warn; return true;
            case "info": level = LogLevel.Info; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "trace": level = LogLevel.Trace; return true;
            default: level = LogLevel.Warn; return false;
        }
    }

    public bool IsEnabled(LogLevel level) => level <= Level;

    public void Error(string message) => Write(LogLevel.Error, message);

    public void Warn(string message) => Write(LogLevel.Warn, message);

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = new StringBuilder(64 + message.Length)
            .Append("time=").Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
            .Append(" level=").Append(Name(level))
            .Append(" msg=\"").Append(message.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))
            .Append('"')
            .ToString();
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Panic => "panic",
        LogLevel.Fatal => "fatal",
        LogLevel.Error => "error",
        LogLevel.Warn => "warning",
        LogLevel.Info => "info",
        LogLevel.Debug => "debug",
        _ => "trace",
    };
}
