using Shawarma.Cli;
using Sidecars.Runtime.Logging;

namespace Shawarma.Tests.Cli;

public sealed class OptionsParserTests
{
    private static readonly Dictionary<string, string> BaseEnv = new() { ["MY_POD_NAME"] = "web-1", ["MY_POD_NAMESPACE"] = "shop" };

    private static ParseResult Parse(string[] args, Dictionary<string, string>? env = null)
    {
        env ??= BaseEnv;
        return OptionsParser.Parse(args, name => env.GetValueOrDefault(name), LogFormat.Json);
    }

    [Fact]
    public void Defaults_match_the_original()
    {
        var o = Parse(["monitor", "--service", "web"]).Options!;
        Assert.Equal("web", o.Service);
        Assert.Empty(o.ServiceLabels);
        Assert.Equal("web-1", o.Pod);
        Assert.Equal("shop", o.Namespace);
        Assert.Equal(new Uri("http://localhost/applicationstate"), o.Url);
        Assert.False(o.DisableNotifier);
        Assert.Equal(8099, o.ListenPort);
        Assert.Equal(LogLevel.Warn, o.LogLevel);
        Assert.Null(o.Kubeconfig);
    }

    [Fact]
    public void Environment_supplies_everything()
    {
        var env = new Dictionary<string, string>(BaseEnv)
        {
            ["SHAWARMA_SERVICE"] = "web",
            ["SHAWARMA_SERVICE_LABELS"] = "app=shop, tier=front",
            ["SHAWARMA_URL"] = "http://localhost:8080/state",
            ["SHAWARMA_DISABLE_STATE_NOTIFIER"] = "true",
            ["SHAWARMA_LISTEN_PORT"] = "9000",
            ["LOG_LEVEL"] = "debug",
        };
        var o = Parse(["monitor"], env).Options!;
        Assert.Equal("web", o.Service);
        Assert.Equal("app=shop,tier=front", o.LabelSelector);
        Assert.Equal(new Uri("http://localhost:8080/state"), o.Url);
        Assert.True(o.DisableNotifier);
        Assert.Equal(9000, o.ListenPort);
        Assert.Equal(LogLevel.Debug, o.LogLevel);
    }

    [Fact]
    public void Command_line_beats_environment()
    {
        var env = new Dictionary<string, string>(BaseEnv)
        {
            ["SHAWARMA_SERVICE"] = "env-svc",
            ["SHAWARMA_LISTEN_PORT"] = "9000",
            ["SHAWARMA_DISABLE_STATE_NOTIFIER"] = "true",
            ["LOG_LEVEL"] = "debug",
        };
        var o = Parse(["--log-level=error", "monitor", "--service=cli-svc", "-listen-port", "9100", "--disable-notifier=false", "--pod", "p2", "--kubeconfig", "/k"], env).Options!;
        Assert.Equal("cli-svc", o.Service);
        Assert.Equal(9100, o.ListenPort);
        Assert.False(o.DisableNotifier);
        Assert.Equal(LogLevel.Error, o.LogLevel);
        Assert.Equal("p2", o.Pod);
        Assert.Equal("/k", o.Kubeconfig);
    }

    [Fact]
    public void Bare_boolean_flag_is_true()
    {
        Assert.True(Parse(["monitor", "--service", "web", "--disable-notifier"]).Options!.DisableNotifier);
        Assert.True(Parse(["monitor", "--disable-notifier", "--service", "web"]).Options!.DisableNotifier);
    }

    [Theory]
    [InlineData("no service to monitor", "monitor")]
    [InlineData("no command given", "--service", "web")]
    [InlineData("unknown command 'watch'", "watch", "--service", "web")]
    [InlineData("unknown flag '--nope'", "monitor", "--service", "web", "--nope")]
    [InlineData("needs a value", "monitor", "--service")]
    [InlineData("not a port number", "monitor", "--service", "web", "--listen-port", "70000")]
    [InlineData("not a port number", "monitor", "--service", "web", "--listen-port", "http")]
    [InlineData("not an absolute http(s) URL", "monitor", "--service", "web", "--url", "localhost/state")]
    [InlineData("not a boolean", "monitor", "--service", "web", "--disable-notifier=maybe")]
    [InlineData("--log-level: log level 'loud' is not one of error, warn, info, debug, trace", "monitor", "--service", "web", "--log-level", "loud")]
    [InlineData("--log-format: log format 'xml' is not one of json, text", "monitor", "--service", "web", "--log-format", "xml")]
    [InlineData("is not label=value", "monitor", "--service-labels", "app")]
    [InlineData("is not label=value", "monitor", "--service-labels", "app!=x")]
    [InlineData("unexpected argument 'extra'", "monitor", "extra", "--service", "web")]
    public void Errors_are_clear(string message, params string[] args)
    {
        var result = Parse(args);
        Assert.Null(result.Options);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_pod_or_namespace_is_an_error()
    {
        Assert.Contains("MY_POD_NAME", Parse(["monitor", "--service", "web"], new() { ["MY_POD_NAMESPACE"] = "n" }).Error, StringComparison.Ordinal);
        Assert.Contains("MY_POD_NAMESPACE", Parse(["monitor", "--service", "web"], new() { ["MY_POD_NAME"] = "p" }).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_recognised_anywhere(string flag)
    {
        Assert.True(Parse([flag]).ShowHelp);
        Assert.True(Parse(["monitor", flag]).ShowHelp);
    }

    [Fact]
    public void Labels_accept_double_equals_and_blanks()
    {
        var o = Parse(["monitor", "--service-labels", "tier==front, app=shop,"]).Options!;
        Assert.Equal("app=shop,tier=front", o.LabelSelector);
    }

    [Fact]
    public void Log_format_and_context_come_from_flags_or_the_environment()
    {
        Assert.Equal(LogFormat.Json, Parse(["monitor", "--service", "web"]).Options!.LogFormat);
        Assert.Equal(LogFormat.Text, Parse(["monitor", "--service", "web", "--log-format", "text"]).Options!.LogFormat);
        Assert.Equal(LogFormat.Text, Parse(["monitor", "--service", "web"], new(BaseEnv) { ["LOG_FORMAT"] = "text" }).Options!.LogFormat);
        Assert.Equal("kind-dev", Parse(["monitor", "--service", "web", "--context", "kind-dev"]).Options!.Context);
    }

    [Theory]
    [InlineData("panic", LogLevel.Error)]
    [InlineData("fatal", LogLevel.Error)]
    [InlineData("warning", LogLevel.Warn)]
    [InlineData("TRACE", LogLevel.Trace)]
    public void The_original_logrus_level_names_still_work(string name, LogLevel level) =>
        Assert.Equal(level, Parse(["monitor", "--service", "web", "--log-level", name]).Options!.LogLevel);
}
