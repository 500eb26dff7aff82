using Injector.Diagnostics;

namespace Injector.Hosting;

/// <summary>
/// Calls back when any of a set of files may have changed. Watches the files' directories (which catches the
/// atomic <c>..data</c> symlink swap Kubernetes uses for Secret and ConfigMap volumes, where the file itself never
/// changes) and also polls, because inotify events are not guaranteed on every volume type. Events are debounced by
/// the settle time: an editor's truncate and write arrive as several events. The callback decides whether content
/// really changed (spurious events are harmless) and returns false while the content is still changing, to be
/// called again after the settle time. Callbacks are serialised, and nothing they throw escapes to the timer thread
/// (where it would end the process).
/// </summary>
internal sealed class FileChangeMonitor : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _poll;
    private readonly Timer _debounce;
    private readonly Func<bool> _check;
    private readonly TimeSpan _settleTime;
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly Lock _gate = new();
    private bool _disposed;

    public FileChangeMonitor(IReadOnlyCollection<string> files, ReloadSettings settings, Func<bool> check, ILogger logger)
    {
        _check = check;
        _settleTime = settings.SettleTime;
        _logger = logger;
        _what = string.Join(", ", files);
        _debounce = new Timer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (settings.WatchFileEvents)
        {
            foreach (var directory in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal))
            {
                Watch(directory);
            }
        }

        _poll = new Timer(_ => Fire(), null, settings.PollInterval, settings.PollInterval);
    }

    private void Watch(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return; // the poll still covers it
        }

        var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => Soon();
        watcher.Created += (_, _) => Soon();
        watcher.Deleted += (_, _) => Soon();
        watcher.Renamed += (_, _) => Soon();
        watcher.Error += (_, _) => Soon(); // e.g. the event buffer overflowed: look anyway
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void Soon()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _debounce.Change(_settleTime, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Fire()
    {
        // Serialise callbacks: events and polls arrive from several threads.
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                if (!_check())
                {
                    _debounce.Change(_settleTime, Timeout.InfiniteTimeSpan);
                }
            }
            catch (Exception ex)
            {
                // The callbacks handle their own failures; this is the last line of defence for the process.
                Log.ReloadCheckFailed(_logger, _what, ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _poll.Dispose();
        _debounce.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }
}
