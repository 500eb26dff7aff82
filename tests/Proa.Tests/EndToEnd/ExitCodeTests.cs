using Proa.Tests.Infrastructure;

namespace Proa.Tests.EndToEnd;

public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 1", 1)]
    [InlineData("exit 7", 7)]
    [InlineData("kill -KILL $$", 128 + 9)]
    [InlineData("kill -TERM $$", 128 + 15)]
    public async Task Command_exit_status_comes_through(string script, int expected)
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run([], Scenario.Sh(script));
        Assert.Equal(expected, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains($"exiting with code {expected}", proa.StdErr);
    }

    [Fact]
    public async Task Command_gets_arguments_environment_and_stdio_unchanged()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run([], ["sh", "-c", "printf '%s|' \"$@\"; echo \"$GREETING\"; echo to-stderr >&2", "sh", "a b", "--flag", "", "*"],
            new Dictionary<string, string?> { ["GREETING"] = "hi there" });
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("a b|--flag||*|hi there", proa.StdOut);
        Assert.Contains("to-stderr", proa.StdErr);
    }

    [Fact]
    public async Task Command_starts_with_SIGPIPE_at_its_default_action()
    {
        // The .NET runtime ignores SIGPIPE; without care the wrapped command would inherit that.
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run([], Scenario.Sh("grep SigIgn /proc/$$/status"));
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        var mask = Convert.ToUInt64(proa.StdOut.Split(':')[1].Trim(), 16);
        Assert.Equal(0UL, mask & (1UL << (13 - 1)));
    }

    [Fact]
    public async Task Missing_command_exits_127_and_still_runs_shutdown_actions()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run(["--shutdown-http-get", s.Shutdown.Url("/quitquitquit")], ["no-such-command-proa-test"]);
        Assert.Equal(127, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("command not found: 'no-such-command-proa-test'", proa.StdErr);
        Assert.Contains("GET /quitquitquit (body 0 bytes)", s.Shutdown.Calls);
    }
}
