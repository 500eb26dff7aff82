using System.Text.Json;
using Sidecars.Runtime.Logging;
using TestKit.Time;

namespace Sidecars.Runtime.Tests;

/// <summary>The one log format of the three sidecars.</summary>
public sealed class SidecarLogTests
{
    private static (SidecarLog Log, StringWriter Output) Log(LogLevel level, LogFormat format)
    {
        var output = new StringWriter();
        return (new SidecarLog("proa", level, format, output, FakeClock.Create()), output);
    }

    [Fact]
    public void Json_lines_carry_time_level_logger_and_message_and_escape_what_json_needs()
    {
        var (log, output) = Log(LogLevel.Info, LogFormat.Json);
        log.Info("pod 'batch/x' is \"ready\"\nsecond line é");
        log.Debug("not written");

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(["time", "level", "logger", "msg"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2025-05-01T10:00:00.000Z", json.RootElement.GetProperty("time").GetString());
        Assert.Equal("info", json.RootElement.GetProperty("level").GetString());
        Assert.Equal("proa", json.RootElement.GetProperty("logger").GetString());
        Assert.Equal("pod 'batch/x' is \"ready\"\nsecond line é", json.RootElement.GetProperty("msg").GetString());
        Assert.Contains("'batch/x'", line, StringComparison.Ordinal); // readable, not \u0027
    }

    [Fact]
    public void Text_is_one_readable_line_per_event_even_when_the_message_has_newlines()
    {
        var (log, output) = Log(LogLevel.Trace, LogFormat.Text);
        log.Error("a\nforged line");
        log.Warn("w");
        log.Trace("t");
        Assert.Equal(
            "2025-05-01T10:00:00.000Z error proa: a\\nforged line\n2025-05-01T10:00:00.000Z warn  proa: w\n2025-05-01T10:00:00.000Z trace proa: t\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("error", LogLevel.Error)]
    [InlineData("WARN", LogLevel.Warn)]
    [InlineData("warning", LogLevel.Warn)]
    [InlineData(" info ", LogLevel.Info)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("panic", LogLevel.Error)]
    [InlineData("fatal", LogLevel.Error)]
    [InlineData("", LogLevel.Warn)]
    [InlineData(null, LogLevel.Warn)]
    public void Level_names_are_the_same_everywhere(string? text, LogLevel expected)
    {
        Assert.True(LogSettings.TryParseLevel(text, LogLevel.Warn, out var level, out _));
        Assert.Equal(expected, level);
    }

    [Fact]
    public void Bad_names_are_sentences_that_list_the_valid_ones()
    {
        Assert.False(LogSettings.TryParseLevel("loud", LogLevel.Info, out _, out var levelError));
        Assert.Equal("log level 'loud' is not one of error, warn, info, debug, trace", levelError);
        Assert.False(LogSettings.TryParseFormat("xml", LogFormat.Json, out _, out var formatError));
        Assert.Equal("log format 'xml' is not one of json, text", formatError);
    }

    [Fact]
    public void The_early_format_takes_a_valid_LOG_FORMAT_and_ignores_a_bad_one()
    {
        Assert.Equal(LogFormat.Text, LogSettings.EarlyFormat(n => n == "LOG_FORMAT" ? "text" : null));
        Assert.Equal(LogSettings.DefaultFormat, LogSettings.EarlyFormat(n => n == "LOG_FORMAT" ? "xml" : null));
        Assert.Equal(LogFormat.Json, LogSettings.DefaultFormat); // tests run with stderr redirected, as in a container
    }
}
