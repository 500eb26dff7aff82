using TestKit.Processes;
using System.Diagnostics;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.EndToEnd;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Every_shutdown_url_is_called_even_when_one_hangs()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run(
            [
                "--shutdown-http-get", s.Shutdown.Url("/quitquitquit"),
                "--shutdown-http-post", s.Shutdown.Url("/hang/forever"),
                "--shutdown-http-post=" + s.Shutdown.Url("/api/v1/shutdown"),
                "--shutdown-http-get", "http://127.0.0.1:1/refused",
            ],
            Scenario.Sh("exit 3"));

        var started = Stopwatch.StartNew();
        Assert.Equal(3, await proa.WaitForExitAsync(Scenario.Deadline));

        var calls = s.Shutdown.Calls.ToArray();
        Assert.Contains("GET /quitquitquit (body 0 bytes)", calls);
        Assert.Contains("POST /hang/forever (body 0 bytes)", calls);
        Assert.Contains("POST /api/v1/shutdown (body 0 bytes)", calls);
        Assert.Contains("/hang/forever failed: no response within 5s", proa.StdErr);
        Assert.Contains("GET http://127.0.0.1:1/refused failed", proa.StdErr);
        // In parallel, each bounded: the hanging call costs ~5s, not forever.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Waits_for_the_other_containers_to_stop_before_exiting()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady().Set("spec.terminationGracePeriodSeconds", 60));
        var proa = s.Run(["--shutdown-http-get", s.Shutdown.Url("/quitquitquit")], Scenario.Sh("exit 0"));

        await proa.WaitForLineAsync("waiting for envoy to stop", Scenario.Deadline, OutputStream.StdErr);
        Assert.Contains("GET /quitquitquit (body 0 bytes)", s.Shutdown.Calls);
        Assert.False(proa.HasExited);

        // The sidecar reacts to its shutdown call; the native sidecar is the kubelet's business, not waited for.
        s.Publish(TestPods.AllReady().Terminated("envoy", 0, "Completed", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ")));

        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("all other containers have stopped", proa.StdErr);
    }

    [Fact]
    public async Task Signal_after_the_command_exited_ends_the_wait_for_the_other_containers()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady().Set("spec.terminationGracePeriodSeconds", 120));
        var proa = s.Run([], Scenario.Sh("exit 6"));
        await proa.WaitForLineAsync("waiting for envoy to stop", Scenario.Deadline, OutputStream.StdErr);

        proa.Signal(15);

        Assert.Equal(6, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("not waiting for the other containers any longer", proa.StdErr);
    }

    [Fact]
    public async Task Wait_for_the_other_containers_is_bounded_by_the_grace_period()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady().Set("spec.terminationGracePeriodSeconds", 2));
        var proa = s.Run([], Scenario.Sh("exit 5"));
        Assert.Equal(5, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("gave up waiting for the other containers to stop after the 2s grace period (waiting for envoy to stop)", proa.StdErr);
    }
}
