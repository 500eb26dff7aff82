using Proa.Tests.Infrastructure;

namespace Proa.Tests.EndToEnd;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--startup-timeout", "option '--startup-timeout' needs a value")]
    [InlineData("--startup-timeout=soon", "'soon' is not a duration")]
    [InlineData("--shutdown-http-get=localhost:8080/quit", "not an absolute http:// or https:// URL")]
    [InlineData("--", "no command given")]
    public async Task Bad_arguments_exit_2_with_a_clear_message(string arg, string message)
    {
        await using var proa = ProaProgram.Start([arg], new Dictionary<string, string?>());
        Assert.Equal(2, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains(" error proa: ", proa.StdErr);
        Assert.Contains(message, proa.StdErr);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        await using var proa = ProaProgram.Start(["--help"], new Dictionary<string, string?>());
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("Usage: proa [OPTIONS] [--] COMMAND [ARGS...]", proa.StdOut);
    }

    [Fact]
    public async Task Skip_wait_runs_the_command_without_any_api()
    {
        await using var proa = ProaProgram.Start(["sh", "-c", "exit 9"], new Dictionary<string, string?> { ["PROA_SKIP_WAIT"] = "true" });
        Assert.Equal(9, await proa.WaitForExitAsync(Scenario.Deadline));
    }

    [Fact]
    public async Task Logs_are_json_lines_unless_asked_for_text()
    {
        await using var proa = ProaProgram.Start(["sh", "-c", "exit 0"], new Dictionary<string, string?> { ["PROA_SKIP_WAIT"] = "true", ["LOG_FORMAT"] = null });
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        var lines = proa.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            Assert.Equal(["time", "level", "logger", "msg"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal("proa", json.RootElement.GetProperty("logger").GetString());
        }

        Assert.Contains(lines, l => l.Contains("\"msg\":\"exiting with code 0\"", StringComparison.Ordinal));
    }
}
