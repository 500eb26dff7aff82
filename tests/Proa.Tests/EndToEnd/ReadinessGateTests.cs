using System.Globalization;
using Proa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Proa.Tests.EndToEnd;

/// <summary>The real proa process against the stand-in API: the command starts only once the sidecars are ready.</summary>
public sealed class ReadinessGateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Command_starts_only_after_every_sidecar_is_ready()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        var marker = s.Dir.File("started");
        var proa = s.Run([], Scenario.Sh($"date +%s%N > '{marker}'; echo command-ran"));

        // Proa has read the pod, opened the watch and said what it waits for; the command must not have run.
        await s.Api.Activity.WaitUntilAsync(() => s.Api.WatchCount >= 1, Scenario.Deadline, "the watch request");
        await proa.WaitForStderrAsync("waiting for envoy (running, not ready), log-shipper (running, not ready)", Scenario.Deadline);
        Assert.False(File.Exists(marker), "the command ran before any sidecar was ready");
        var rssWhileWaiting = File.ReadLines($"/proc/{proa.Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));

        // One sidecar ready is not enough.
        s.Api.Publish(TestPods.NotReady().Ready("envoy"));
        await proa.WaitForStderrAsync("waiting for log-shipper (running, not ready)", Scenario.Deadline);
        Assert.False(File.Exists(marker), "the command ran while the native sidecar was not ready");

        // The native sidecar too: now it runs.
        var readyRv = s.Api.Publish(TestPods.AllReady());
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.True(File.Exists(marker));
        Assert.Contains("command-ran", proa.Stdout);
        Assert.Contains("all 2 other container(s) ready", proa.Stderr);

        // Overhead: time from the stand-in flushing the ready event to the command's first instruction.
        var sent = s.Api.FlushedAt(readyRv)!.Value;
        var startedNs = long.Parse(File.ReadAllText(marker).Trim(), CultureInfo.InvariantCulture);
        var started = DateTimeOffset.UnixEpoch.AddTicks(startedNs / 100);
        output.WriteLine($"readiness event -> command start: {(started - sent).TotalMilliseconds:0.0} ms; proa {rssWhileWaiting} while waiting");
        output.WriteLine(proa.Stderr);
    }

    [Fact]
    public async Task Already_ready_pod_starts_the_command_at_once()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run([], Scenario.Sh("echo hello from the command"));
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("hello from the command", proa.Stdout);
    }

    [Fact]
    public async Task Api_errors_and_expired_watches_are_retried()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        s.Api.FailNextGets(2);
        s.Api.ExpireNextWatches(1);
        var proa = s.Run([], Scenario.Sh("echo ran"));

        // 2 failed GETs, a GET, an expired watch, a re-list GET, then a live watch.
        await s.Api.Activity.WaitUntilAsync(() => s.Api.WatchCount >= 2, Scenario.Deadline, "a second watch after 410");
        Assert.True(s.Api.GetCount >= 4, string.Join('\n', s.Api.Requests));
        s.Api.Publish(TestPods.AllReady());

        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("HTTP 500", proa.Stderr);
        Assert.Contains("retrying in", proa.Stderr);
    }

    [Fact]
    public async Task Watch_uses_the_field_selector_and_the_resource_version_of_the_get()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        var proa = s.Run([], Scenario.Sh("true"));
        await s.Api.Activity.WaitUntilAsync(() => s.Api.WatchCount >= 1, Scenario.Deadline, "the watch request");
        var watch = s.Api.Requests.First(r => r.Contains("watch=", StringComparison.Ordinal));
        Assert.StartsWith($"/api/v1/namespaces/{TestPods.Namespace}/pods?", watch);
        Assert.Contains($"fieldSelector=metadata.name%3D{TestPods.Name}", watch);
        Assert.Contains("resourceVersion=100", watch);
        s.Api.Publish(TestPods.AllReady());
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
    }
}
