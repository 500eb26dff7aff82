namespace Injector.Hosting;

/// <summary>
/// Calls back when any of a set of files may have changed. Watches the files' directories (which catches the
/// atomic <c>..data</c> symlink swap Kubernetes uses for Secret and ConfigMap volumes, where the file itself never
/// changes) and also polls, because inotify events are not guaranteed on every volume type. The callback decides
/// whether content really changed, so spurious events are harmless.
/// </summary>
internal sealed class FileChangeMonitor : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _timer;
    private readonly Action _onChange;
    private readonly Lock _gate = new();
    private bool _disposed;

    public FileChangeMonitor(IEnumerable<string> files, TimeSpan pollInterval, Action onChange)
    {
        _onChange = onChange;
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
            watcher.Changed += (_, _) => Fire();
            watcher.Created += (_, _) => Fire();
            watcher.Deleted += (_, _) => Fire();
            watcher.Renamed += (_, _) => Fire();
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
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }
}
