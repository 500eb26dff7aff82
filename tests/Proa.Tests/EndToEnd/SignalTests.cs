using TestKit;
using TestKit.Processes;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.EndToEnd;

public sealed class SignalTests
{
    [Theory]
    [InlineData(15, "TERM", 42)]
    [InlineData(2, "INT", 43)]
    [InlineData(1, "HUP", 44)]
    public async Task Signal_to_proa_reaches_the_command(int signal, string name, int trapExit)
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var got = s.Dir.File("got-signal");
        var ready = s.Dir.File("trap-installed");
        var proa = s.Run([], Scenario.Sh($"trap 'echo {name} > \"{got}\"; exit {trapExit}' {name}; touch '{ready}'; while :; do sleep 0.05; done"));

        await Eventually.TrueAsync(() => File.Exists(ready), "the command to install its trap", Scenario.Deadline);
        proa.Signal(signal);

        Assert.Equal(trapExit, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Equal(name, File.ReadAllText(got).Trim());
        Assert.Contains($"forwarded signal {signal} to the command", proa.StdErr);
    }

    [Fact]
    public async Task Command_that_does_not_trap_TERM_dies_with_143()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var ready = s.Dir.File("running");
        // exec: the shell becomes sleep, which has no TERM handler, so the default action kills it.
        var proa = s.Run([], Scenario.Sh($"touch '{ready}'; exec sleep 60"));
        await Eventually.TrueAsync(() => File.Exists(ready), "the command to start", Scenario.Deadline);
        await Eventually.TrueAsync(() => proa.StdErr.Contains("started", StringComparison.Ordinal), "proa to log the start", Scenario.Deadline);
        proa.Signal(15);
        Assert.Equal(143, await proa.WaitForExitAsync(Scenario.Deadline));
    }

    [Fact]
    public async Task Signal_while_waiting_stops_proa_without_running_the_command()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        var marker = s.Dir.File("started");
        var proa = s.Run(["--shutdown-http-post", s.Shutdown.Url("/stop")], Scenario.Sh($"touch '{marker}'"));
        await proa.WaitForLineAsync("waiting for envoy", Scenario.Deadline, OutputStream.StdErr);

        proa.Signal(15);

        Assert.Equal(143, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.False(File.Exists(marker));
        Assert.Contains("received signal 15 while waiting for the sidecars", proa.StdErr);
        Assert.Contains("POST /stop (body 0 bytes)", s.Shutdown.Calls);
    }
}
