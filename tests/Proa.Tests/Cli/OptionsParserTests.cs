using Proa.Cli;
using Sidecars.Runtime.Logging;

namespace Proa.Tests.Cli;

public sealed class OptionsParserTests
{
    private static ParseOutcome Parse(IReadOnlyList<string> args, string? logFormatVariable = null) =>
        OptionsParser.Parse(args, name => name == "LOG_FORMAT" ? logFormatVariable : null, LogFormat.Json);

    [Fact]
    public void Parses_repeated_options_in_both_forms_and_the_command_after_the_separator()
    {
        var outcome = Parse([
            "--shutdown-http-get", "http://localhost:15000/quitquitquit",
            "--shutdown-http-get=http://localhost:8080/stop",
            "--shutdown-http-post=https://127.0.0.1:9000/exit",
            "--startup-timeout", "90s",
            "--kubeconfig=/tmp/kc",
            "--", "/app/run", "--port", "80", "--",
        ]);

        var o = Assert.IsType<ProaOptions>(outcome.Options);
        Assert.Equal(["http://localhost:15000/quitquitquit", "http://localhost:8080/stop"], o.ShutdownGet.Select(u => u.AbsoluteUri));
        Assert.Equal(["https://127.0.0.1:9000/exit"], o.ShutdownPost.Select(u => u.AbsoluteUri));
        Assert.Equal(TimeSpan.FromSeconds(90), o.StartupTimeout);
        Assert.Equal("/tmp/kc", o.Kubeconfig);
        Assert.Equal("/app/run", o.Command);
        Assert.Equal(["--port", "80", "--"], o.Arguments);
    }

    [Fact]
    public void Command_without_separator_ends_the_options()
    {
        var o = Parse(["ls", "-l", "--help"]).Options!;
        Assert.Equal("ls", o.Command);
        Assert.Equal(["-l", "--help"], o.Arguments);
        Assert.Equal(ProaOptions.DefaultStartupTimeout, o.StartupTimeout);
        Assert.Empty(o.ShutdownGet);
    }

    [Fact]
    public void Zero_startup_timeout_means_wait_forever() =>
        Assert.Null(Parse(["--startup-timeout=0", "x"]).Options!.StartupTimeout);

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help(string flag) => Assert.True(Parse([flag, "x"]).HelpRequested);

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "--" }, "no command given")]
    [InlineData(new[] { "--verbose" }, "no command given")]
    [InlineData(new[] { "--nope", "x" }, "unknown option '--nope'")]
    [InlineData(new[] { "--kubeconfig" }, "option '--kubeconfig' needs a value")]
    [InlineData(new[] { "--startup-timeout", "-5s", "x" }, "is not a duration")]
    [InlineData(new[] { "--startup-timeout", "5 parsecs", "x" }, "is not a duration")]
    [InlineData(new[] { "--shutdown-http-post", "ftp://x/y", "x" }, "not an absolute http:// or https:// URL")]
    [InlineData(new[] { "--shutdown-http-get", "/quit", "x" }, "not an absolute http:// or https:// URL")]
    [InlineData(new[] { "--", "" }, "empty string")]
    public void Errors_are_clear(string[] args, string message)
    {
        var outcome = Parse(args);
        Assert.Null(outcome.Options);
        Assert.Contains(message, outcome.Error);
    }

    [Fact]
    public void Log_format_comes_from_the_option_or_the_environment()
    {
        Assert.Equal(LogFormat.Json, Parse(["true"]).Options!.LogFormat);
        Assert.Equal(LogFormat.Text, Parse(["true"], "text").Options!.LogFormat);
        Assert.Equal(LogFormat.Json, Parse(["--log-format", "json", "true"], "text").Options!.LogFormat);
        Assert.Contains("log format 'yaml' is not one of json, text", Parse(["--log-format=yaml", "true"]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN", "is not a duration (examples: 90s, 5m, 1h30m, 120)")]
    [InlineData("Infinity", "is not a duration (examples: 90s, 5m, 1h30m, 120)")]
    [InlineData("-Infinity", "is not a duration (examples: 90s, 5m, 1h30m, 120)")]
    [InlineData("1e400", "is not a duration (examples: 90s, 5m, 1h30m, 120)")]
    [InlineData("2000h", "is longer than 24h, the longest proa accepts")]
    [InlineData("86401", "is longer than 24h, the longest proa accepts")]
    public void Startup_timeouts_that_no_timer_can_wait_are_usage_errors(string value, string message)
    {
        var outcome = Parse(["--startup-timeout", value, "true"]);
        Assert.Null(outcome.Options);
        Assert.Equal($"--startup-timeout: '{value}' {message}", outcome.Error);
    }
}
