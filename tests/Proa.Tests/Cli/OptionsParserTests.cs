using Proa.Cli;

namespace Proa.Tests.Cli;

public sealed class OptionsParserTests
{
    [Fact]
    public void Parses_repeated_options_in_both_forms_and_the_command_after_the_separator()
    {
        var outcome = OptionsParser.Parse([
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
        var o = OptionsParser.Parse(["ls", "-l", "--help"]).Options!;
        Assert.Equal("ls", o.Command);
        Assert.Equal(["-l", "--help"], o.Arguments);
        Assert.Equal(ProaOptions.DefaultStartupTimeout, o.StartupTimeout);
        Assert.Empty(o.ShutdownGet);
    }

    [Fact]
    public void Zero_startup_timeout_means_wait_forever() =>
        Assert.Null(OptionsParser.Parse(["--startup-timeout=0", "x"]).Options!.StartupTimeout);

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help(string flag) => Assert.True(OptionsParser.Parse([flag, "x"]).HelpRequested);

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
        var outcome = OptionsParser.Parse(args);
        Assert.Null(outcome.Options);
        Assert.Contains(message, outcome.Error);
    }
}
