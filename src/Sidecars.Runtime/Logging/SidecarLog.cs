using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sidecars.Runtime.Logging;

/// <summary>
/// The one logger of the three sidecars: a line per event on stderr, JSON or text (<see cref="LogFormat"/>), with the
/// same level names everywhere. Not Microsoft.Extensions.Logging: these programs log a handful of lines, and every
/// dependency costs binary size and start-up time in each pod.
/// </summary>
public sealed class SidecarLog
{
    private readonly string _logger;
    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public SidecarLog(string logger, LogLevel level, LogFormat format, TextWriter? writer = null, TimeProvider? time = null)
    {
        _logger = logger;
        Level = level;
        Format = format;
        _writer = writer ?? Console.Error;
        _time = time ?? TimeProvider.System;
    }

    public LogLevel Level { get; }

    public LogFormat Format { get; }

    public bool IsEnabled(LogLevel level) => level <= Level;

    public void Error(string message) => Write(LogLevel.Error, message);

    public void Warn(string message) => Write(LogLevel.Warn, message);

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Trace(string message) => Write(LogLevel.Trace, message);

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var time = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var name = LogSettings.Name(level);
        lock (_lock)
        {
            if (Format == LogFormat.Json)
            {
                _buffer.ResetWrittenCount();
                using (var json = new Utf8JsonWriter(_buffer, Json.Options))
                {
                    json.WriteStartObject();
                    json.WriteString("time"u8, time);
                    json.WriteString("level"u8, name);
                    json.WriteString("logger"u8, _logger);
                    json.WriteString("msg"u8, message);
                    json.WriteEndObject();
                }

                _writer.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            }
            else
            {
                // One event, one line: a message carrying a newline (an API error body, say) cannot forge a second line.
                var oneLine = message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal)
                    ? message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
                    : message;
                _writer.WriteLine($"{time} {name,-5} {_logger}: {oneLine}");
            }

            _writer.Flush();
        }
    }

    /// <summary>
    /// Created on the first JSON line, not with the logger: a sidecar that logs nothing at its level never pays for the
    /// encoder's tables. Relaxed escaping keeps quotes readable ('name'); these lines go to a log, never into HTML.
    /// </summary>
    private static class Json
    {
        public static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
