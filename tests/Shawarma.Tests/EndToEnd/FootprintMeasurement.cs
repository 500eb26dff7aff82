using System.Diagnostics;
using System.Globalization;
using Shawarma.Tests.Fakes;
using Xunit.Abstractions;

namespace Shawarma.Tests.EndToEnd;

/// <summary>
/// Footprint of the published binary, run on demand only:
/// <c>SHAWARMA_MEASURE=1 SHAWARMA_BIN=path/to/shawarma dotnet test --filter FootprintMeasurement</c>
/// (needs <c>wrk</c>). Prints size, start-to-first-state, idle RSS and peak RSS under wrk load.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class FootprintMeasurement(ITestOutputHelper output)
{
    [Fact]
    public async Task Measure()
    {
        var bin = Environment.GetEnvironmentVariable("SHAWARMA_BIN");
        if (Environment.GetEnvironmentVariable("SHAWARMA_MEASURE") != "1" || string.IsNullOrEmpty(bin))
        {
            return; // on demand only
        }

        await using var s = await Scenario.CreateAsync();
        for (var i = 0; i < 20; i++)
        {
            s.Api.Upsert("slices", KubeJson.Slice($"web-{i:00}", "web", KubeJson.Endpoint($"web-other-{i}", true)));
        }

        s.Api.Upsert("slices", KubeJson.Slice("web-zz", "web", KubeJson.Endpoint(Scenario.Pod, true)));
        // Warm the in-test stand-ins (JIT) so the number is shawarma's, not theirs.
        using (var warm = new HttpClient())
        {
            warm.DefaultRequestHeaders.Authorization = new("Bearer", FakeKubeApi.Token);
            await warm.GetStringAsync(new Uri(s.Api.Url, "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices"));
            await warm.PostAsync(s.App!.Url, new StringContent("{}"));
            s.Api.ResetFirstRequest();
            while (s.App.Delivered.TryDequeue(out _))
            {
            }
        }

        var started = Stopwatch.GetTimestamp();
        var process = s.Start("--service", "web", "--log-level", "debug");
        await s.WaitForDeliveredAsync(1, "first state");
        var firstState = Stopwatch.GetElapsedTime(started, s.App!.FirstDeliveredAt);

        await Task.Delay(TimeSpan.FromSeconds(3)); // a measurement, not synchronisation: let it go idle
        var pid = process.Id;
        var idle = Rss(pid, "VmRSS");

        using var wrk = System.Diagnostics.Process.Start(new ProcessStartInfo("wrk", $"-t2 -c32 -d10s http://127.0.0.1:{s.ListenPort}/deploymentstate")
        {
            RedirectStandardOutput = true,
        })!;
        var peakDuring = 0L;
        while (!wrk.HasExited)
        {
            peakDuring = Math.Max(peakDuring, Rss(pid, "VmRSS"));
            await Task.Delay(100);
        }

        var wrkOut = await wrk.StandardOutput.ReadToEndAsync();
        var hwm = Rss(pid, "VmHWM");
        output.WriteLine($"after load: threads {Rss(pid, "Threads")}, RssAnon {Rss(pid, "RssAnon") / 1024.0:0.0} MiB, RssFile {Rss(pid, "RssFile") / 1024.0:0.0} MiB");
        output.WriteLine($"binary: {new FileInfo(bin).Length / 1024.0 / 1024.0:0.00} MiB");
        output.WriteLine($"start-to-first-state (exec -> first POST received): {firstState.TotalMilliseconds:0} ms");
        output.WriteLine($"time=api first request {s.Api.FirstRequestAt:HH:mm:ss.fff}");
        output.WriteLine($"idle RSS: {idle / 1024.0:0.0} MiB");
        output.WriteLine($"RSS under wrk (max sampled / VmHWM): {peakDuring / 1024.0:0.0} / {hwm / 1024.0:0.0} MiB");
        output.WriteLine(wrkOut);
        output.WriteLine(process.Output);
        Assert.Single(s.App.Delivered);
        process.Signal(Scenario.SigTerm);
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private static long Rss(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture); // kB
            }
        }

        return 0;
    }
}
