using TestKit.Processes;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.EndToEnd;

public sealed class StartupFailureTests
{
    [Fact]
    public async Task Startup_timeout_ends_the_wait_with_a_clear_error()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady().Ready("log-shipper"));
        var marker = s.Dir.File("started");
        var proa = s.Run(["--startup-timeout", "2s", "--shutdown-http-get", s.Shutdown.Url("/quitquitquit")], Scenario.Sh($"touch '{marker}'"));

        Assert.Equal(3, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("startup timeout: the sidecars were not ready after 2s (waiting for envoy (running, not ready)); not starting sh", proa.StdErr);
        Assert.False(File.Exists(marker));
        Assert.Contains("GET /quitquitquit (body 0 bytes)", s.Shutdown.Calls);
    }

    [Fact]
    public async Task Sidecar_that_terminates_for_good_ends_the_wait_with_a_clear_error()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        var marker = s.Dir.File("started");
        var proa = s.Run(["--shutdown-http-post", s.Shutdown.Url("/stop")], Scenario.Sh($"touch '{marker}'"));
        await proa.WaitForLineAsync("waiting for envoy", Scenario.Deadline, OutputStream.StdErr);

        s.Publish(TestPods.NotReady().Ready("log-shipper").Terminated("envoy", 1, "Error"));

        Assert.Equal(4, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("error proa: container envoy terminated with exit code 1 (Error) and restartPolicy Never will not restart it", proa.StdErr);
        Assert.False(File.Exists(marker));
        Assert.Contains("POST /stop (body 0 bytes)", s.Shutdown.Calls);
    }

    [Fact]
    public async Task Crash_looping_native_sidecar_ends_the_wait()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady().Ready("envoy"));
        var proa = s.Run([], Scenario.Sh("true"));
        await proa.WaitForLineAsync("waiting for log-shipper", Scenario.Deadline, OutputStream.StdErr);

        s.Publish(TestPods.NotReady().Ready("envoy").CrashLooping("log-shipper", 3));

        Assert.Equal(4, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("sidecar log-shipper is in CrashLoopBackOff after 3 restarts (last exit code 1)", proa.StdErr);
    }

    [Fact]
    public async Task Unknown_pod_is_a_configuration_error()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run([], Scenario.Sh("true"), new Dictionary<string, string?> { ["POD_NAME"] = "someone-else" });
        Assert.Equal(5, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("pod batch/someone-else not found", proa.StdErr);
    }

    [Fact]
    public async Task No_cluster_configuration_is_a_clear_error()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = ProaProgram.Start(["--", "true"], new Dictionary<string, string?> { ["POD_NAMESPACE"] = "batch" });
        Assert.Equal(5, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("cannot reach the Kubernetes API: no Kubernetes configuration was found", proa.StdErr);
        await proa.DisposeAsync();
    }
}
