namespace Injector.Hosting;

/// <summary>
/// Calls back when any of a set of files may have changed. Watches the files' directories (which catches the
/// atomic <c>..data</c> symlink swap Kubernetes uses for Secret and ConfigMap volumes, where the file itself never
/// changes) and also polls, because inotify events are not guaranteed on every volume type. The callback decides
/// whether content really changed, so spurious events are harmless. Events are debounced: an editor's truncate
/// and write arrive as several events, and reading in between would see a partial file.
/// </summary>
internal sealed class FileChangeMonitor : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);
    private readonly Timer _timer;
    private readonly Timer _debounce;
    private readonly Action _onChange;
    private readonly Lock _gate = new();
    private bool _disposed;

    public FileChangeMonitor(IEnumerable<string> files, TimeSpan pollInterval, Action onChange)
    {
        _onChange = onChange;
        _debounce = new Timer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var directory in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            watcher.Created += (_, _) => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            watcher.Deleted += (_, _) => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            watcher.Renamed += (_, _) => _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        _timer = new Timer(_ => Fire(), null, pollInterval, pollInterval);
    }

    private void Fire()
    {
        // Serialise callbacks: events arrive in bursts from several threads.
        lock (_gate)
        {
            if (!_disposed)
            {
                _onChange();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
        _debounce.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }
}
