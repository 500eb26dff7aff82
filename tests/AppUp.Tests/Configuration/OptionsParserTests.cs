using AppUp.Configuration;
using Sidecars.Runtime.Logging;

namespace AppUp.Tests.Configuration;

public sealed class OptionsParserTests
{
    private static (bool Ok, AppUpOptions? Options, string? Error) Parse(params (string Name, string Value)[] variables) => ParseArgs([], variables);

    private static (bool Ok, AppUpOptions? Options, string? Error) ParseArgs(string[] args, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        var ok = OptionsParser.TryParse(args, name => environment.GetValueOrDefault(name), LogFormat.Json, out var options, out var error);
        return (ok, options, error);
    }

    [Fact]
    public void Defaults_match_the_original_appup()
    {
        var (ok, options, _) = Parse();

        Assert.True(ok);
        Assert.Equal(new AppUpOptions("/pod/up.txt", 9999, InitialState.Up, LogLevel.Info, LogFormat.Json), options);
    }

    [Fact]
    public void Empty_values_count_as_unset()
    {
        var (ok, options, _) = Parse(("UP_FILE", ""), ("UP_PORT", ""), ("UP_INITIAL", ""));

        Assert.True(ok);
        Assert.Equal(new AppUpOptions("/pod/up.txt", 9999, InitialState.Up, LogLevel.Info, LogFormat.Json), options);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("8080", 8080)]
    [InlineData("65535", 65535)]
    [InlineData("0", 0)]
    public void Valid_ports_are_accepted(string text, int expected)
    {
        var (ok, options, _) = Parse(("UP_PORT", text));

        Assert.True(ok);
        Assert.Equal(expected, options!.Port);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("+80")]
    [InlineData(" 80")]
    [InlineData("080")]
    [InlineData("99999999999")]
    [InlineData("80.0")]
    public void Invalid_ports_are_rejected_with_the_valid_range(string text)
    {
        var (ok, _, error) = Parse(("UP_PORT", text));

        Assert.False(ok);
        Assert.Contains($"UP_PORT '{text}'", error);
        Assert.Contains("1 to 65535", error);
    }

    [Theory]
    [InlineData("up", false)]
    [InlineData("down", true)]
    [InlineData("DOWN", true)]
    public void Initial_state_is_up_or_down(string text, bool down)
    {
        var (ok, options, _) = Parse(("UP_INITIAL", text));

        Assert.True(ok);
        Assert.Equal(down ? InitialState.Down : InitialState.Up, options!.Initial);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("true")]
    [InlineData("1")]
    public void Invalid_initial_state_names_both_valid_values(string text)
    {
        var (ok, _, error) = Parse(("UP_INITIAL", text));

        Assert.False(ok);
        Assert.Contains($"UP_INITIAL '{text}'", error);
        Assert.Contains("'up'", error);
        Assert.Contains("'down'", error);
    }

    [Fact]
    public void Relative_file_is_made_absolute()
    {
        var (ok, options, _) = Parse(("UP_FILE", "state/up.txt"));

        Assert.True(ok);
        Assert.Equal(Path.GetFullPath("state/up.txt"), options!.File);
    }

    [Theory]
    [InlineData("/pod/")]
    [InlineData("/pod/..")]
    [InlineData("/pod/.")]
    public void A_directory_is_not_a_file(string text)
    {
        var (ok, _, error) = Parse(("UP_FILE", text));

        Assert.False(ok);
        Assert.Contains("UP_FILE", error);
        Assert.Contains("not a directory", error);
    }

    [Fact]
    public void Nul_in_file_is_rejected()
    {
        var (ok, _, error) = Parse(("UP_FILE", "/pod/up\0.txt"));

        Assert.False(ok);
        Assert.Contains("NUL", error);
    }

    [Fact]
    public void Log_format_comes_from_the_switch_or_the_environment_and_the_switch_wins()
    {
        Assert.Equal(LogFormat.Text, ParseArgs(["--log-format", "text"]).Options!.LogFormat);
        Assert.Equal(LogFormat.Text, ParseArgs(["--log-format=TEXT"]).Options!.LogFormat);
        Assert.Equal(LogFormat.Text, Parse(("LOG_FORMAT", "text")).Options!.LogFormat);
        Assert.Equal(LogFormat.Json, ParseArgs(["--log-format", "json"], ("LOG_FORMAT", "text")).Options!.LogFormat);
        Assert.Equal(LogLevel.Debug, Parse(("LOG_LEVEL", "debug")).Options!.LogLevel);
    }

    [Theory]
    [InlineData(new[] { "--log-format", "xml" }, "log format 'xml' is not one of json, text")]
    [InlineData(new[] { "--port=1" }, "unknown argument '--port=1'")]
    public void Bad_arguments_are_named(string[] args, string message)
    {
        var (ok, _, error) = ParseArgs(args);
        Assert.False(ok);
        Assert.Contains(message, error);
    }
}
