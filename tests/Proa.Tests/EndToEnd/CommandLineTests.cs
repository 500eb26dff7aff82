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
        await using var proa = ProaRun.Start([arg], new Dictionary<string, string?>());
        Assert.Equal(2, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("proa: error: ", proa.Stderr);
        Assert.Contains(message, proa.Stderr);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        await using var proa = ProaRun.Start(["--help"], new Dictionary<string, string?>());
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("Usage: proa [OPTIONS] [--] COMMAND [ARGS...]", proa.Stdout);
    }

    [Fact]
    public async Task Skip_wait_runs_the_command_without_any_api()
    {
        await using var proa = ProaRun.Start(["sh", "-c", "exit 9"], new Dictionary<string, string?> { ["PROA_SKIP_WAIT"] = "true" });
        Assert.Equal(9, await proa.WaitForExitAsync(Scenario.Deadline));
    }
}
