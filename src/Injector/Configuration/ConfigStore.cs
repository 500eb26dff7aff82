using Injector.Core.Configuration;
using Injector.Diagnostics;
using Injector.Metrics;

namespace Injector.Configuration;

/// <summary>
/// The current <see cref="InjectorConfig"/>: the built-in one, or the file re-read on change. A broken edit is
/// logged and counted, and the last good config stays in force, so a typo never stops injection.
/// </summary>
internal sealed class ConfigStore : IDisposable
{
    private readonly string? _file;
    private readonly ILogger _logger;
    private readonly InjectorMetrics _metrics;
    private volatile InjectorConfig _current = InjectorConfig.Default;
    private string? _lastText;
    private Hosting.FileChangeMonitor? _monitor;

    public ConfigStore(string? file, ILogger logger, InjectorMetrics metrics)
    {
        _file = file;
        _logger = logger;
        _metrics = metrics;
        metrics.SetConfigRevision(_current.Revision);
    }

    public InjectorConfig Current => _current;

    /// <summary>Loads the file now (a bad file at start is fatal, with the reason) and keeps watching it.</summary>
    public void Start(TimeSpan pollInterval)
    {
        if (_file is null)
        {
            Log.ConfigLoaded(_logger, "(built-in)", _current.Revision);
            return;
        }

        if (!TryReload(out var error))
        {
            throw new InvalidOperationException($"cannot load config '{_file}': {error}");
        }

        _monitor = new Hosting.FileChangeMonitor([_file], pollInterval, () => TryReload(out _));
    }

    public bool TryReload(out string? error)
    {
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(_file!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            Log.ConfigReloadFailed(_logger, _file!, error);
            _metrics.ConfigReloads("error");
            return false;
        }

        if (text == _lastText)
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            // Almost always a write in progress; a deliberate "use the defaults" is spelled by dropping --config.
            error = "the file is empty (to use the built-in defaults, run without --config)";
            Log.ConfigReloadFailed(_logger, _file!, error);
            _metrics.ConfigReloads("error");
            return false;
        }

        try
        {
            var config = InjectorConfig.Parse(text);
            _current = config;
            _lastText = text;
            _metrics.SetConfigRevision(config.Revision);
            _metrics.ConfigReloads("ok");
            Log.ConfigLoaded(_logger, _file!, config.Revision);
            return true;
        }
        catch (InjectorConfigException ex)
        {
            error = ex.Message;
            _lastText = text;
            Log.ConfigReloadFailed(_logger, _file!, error);
            _metrics.ConfigReloads("error");
            return false;
        }
    }

    public void Dispose() => _monitor?.Dispose();
}
