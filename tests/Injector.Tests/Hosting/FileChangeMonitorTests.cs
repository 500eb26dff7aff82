using Injector.Hosting;
using Injector.Tests.Support;

namespace Injector.Tests.Hosting;

/// <summary>The monitor's timer threads never let a callback's exception end the process, and keep calling.</summary>
public sealed class FileChangeMonitorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-monitor-").FullName;

    [Fact]
    public async Task A_callback_that_throws_is_logged_and_called_again_on_the_next_poll()
    {
        var calls = 0;
        var log = new RecordingLogger();
        using var monitor = new FileChangeMonitor([Path.Combine(_dir, "config.yaml")], new ReloadSettings(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10), false),
            () => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("callback bug") : true, log);

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref calls) >= 3), "the poll to keep calling after a failure");

        Assert.Contains(log.Entries, e => e.Id == 401 && e.Exception?.Message == "callback bug");
    }

    [Fact]
    public async Task A_callback_that_reports_changing_is_called_again_after_the_settle_time()
    {
        var calls = 0;
        using var monitor = new FileChangeMonitor([Path.Combine(_dir, "config.yaml")], new ReloadSettings(TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(20), true),
            () => Interlocked.Increment(ref calls) >= 3, new RecordingLogger());

        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yaml"), "x"); // one event; the rest is the re-check loop

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref calls) >= 3), "the re-checks until the content settles");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
