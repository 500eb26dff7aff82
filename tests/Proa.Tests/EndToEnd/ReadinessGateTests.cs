using TestKit.Processes;
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
        await s.WaitForWatchesAsync(1, "the watch request");
        await proa.WaitForLineAsync("waiting for envoy (running, not ready), log-shipper (running, not ready)", Scenario.Deadline, OutputStream.StdErr);
        Assert.False(File.Exists(marker), "the command ran before any sidecar was ready");
        var rssWhileWaiting = File.ReadLines($"/proc/{proa.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));

        // One sidecar ready is not enough.
        s.Publish(TestPods.NotReady().Ready("envoy"));
        await proa.WaitForLineAsync("waiting for log-shipper (running, not ready)", Scenario.Deadline, OutputStream.StdErr);
        Assert.False(File.Exists(marker), "the command ran while the native sidecar was not ready");

        // The native sidecar too: now it runs.
        var sent = DateTimeOffset.UtcNow;
        s.Publish(TestPods.AllReady());
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.True(File.Exists(marker));
        Assert.Contains("command-ran", proa.StdOut);
        Assert.Contains("all 2 other container(s) ready", proa.StdErr);

        // Overhead: time from publishing the ready pod to the command's first instruction.
        var startedNs = long.Parse(File.ReadAllText(marker).Trim(), CultureInfo.InvariantCulture);
        var started = DateTimeOffset.UnixEpoch.AddTicks(startedNs / 100);
        output.WriteLine($"readiness event -> command start: {(started - sent).TotalMilliseconds:0.0} ms; proa {rssWhileWaiting} while waiting");
        output.WriteLine(proa.StdErr);
    }

    [Fact]
    public async Task Already_ready_pod_starts_the_command_at_once()
    {
        await using var s = await Scenario.StartAsync(TestPods.AllReady());
        var proa = s.Run([], Scenario.Sh("echo hello from the command"));
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("hello from the command", proa.StdOut);
    }

    [Fact]
    public async Task Api_errors_and_expired_watches_are_retried()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        s.FailNextLists(2);
        s.ExpireWatches(1);
        var proa = s.Run([], Scenario.Sh("echo ran"));

        // 2 failed lists, a list, an expired watch (410 ERROR event), a relist, then a live watch.
        await s.WaitForWatchesAsync(2, "a second watch after 410");
        Assert.True(s.Lists >= 4, string.Join('\n', s.Api.Requests.All));
        s.Publish(TestPods.AllReady());

        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
        Assert.Contains("HTTP 500", proa.StdErr);
        Assert.Contains("retrying in", proa.StdErr);
    }

    [Fact]
    public async Task Lists_and_watches_its_own_pod_by_field_selector_from_the_lists_resource_version()
    {
        await using var s = await Scenario.StartAsync(TestPods.NotReady());
        var proa = s.Run([], Scenario.Sh("true"));
        await s.WaitForWatchesAsync(1, "the watch request");
        var list = s.Api.Requests.Where(r => r.Verb == "list").Single();
        var watch = s.Api.Requests.Where(r => r.IsWatch).Single();
        foreach (var request in new[] { list, watch })
        {
            Assert.Equal($"/api/v1/namespaces/{TestPods.Namespace}/pods", request.Path);
            Assert.Equal($"metadata.name={TestPods.Name}", request.Query["fieldSelector"]);
        }

        Assert.Equal(s.Api.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), watch.Query["resourceVersion"]);
        s.Publish(TestPods.AllReady());
        Assert.Equal(0, await proa.WaitForExitAsync(Scenario.Deadline));
    }
}
