namespace Injector.Hosting;

/// <summary>How watched files are re-read: see <see cref="Cli.ServeOptions.ReloadPollInterval"/> and its neighbours.</summary>
internal sealed record ReloadSettings(TimeSpan PollInterval, TimeSpan SettleTime, bool WatchFileEvents)
{
    public static ReloadSettings From(Cli.ServeOptions options) =>
        new(options.ReloadPollInterval, options.ReloadSettleTime, options.WatchFileEvents);
}
