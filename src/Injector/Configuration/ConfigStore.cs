using System.Text;
using Injector.Core.Configuration;
using Injector.Diagnostics;
using Injector.Hosting;
using Injector.Metrics;

namespace Injector.Configuration;

/// <summary>
/// The current <see cref="InjectorConfig"/>: the built-in one, or the file, re-read when it changes (a change is used
/// only once it has settled, so a write in progress is never loaded half-written). Anything wrong with it
/// (unreadable, too large, empty, not UTF-8, invalid, or a parser failure nobody foresaw) is logged on one line and
/// counted in <c>injector_config_reloads_total{result="error",reason=...}</c>, and the last good config stays in
/// force: a bad edit never stops injection and never takes the process down.
/// </summary>
internal sealed class ConfigStore : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string? _file;
    private readonly ILogger _logger;
    private readonly InjectorMetrics _metrics;
    private readonly FileReloader? _reloader;
    private readonly Func<string, InjectorConfig> _parse;
    private volatile InjectorConfig _current = InjectorConfig.Default;
    private volatile bool _started;

    /// <param name="parse">The config parser; tests pass one that fails in ways the real one should not.</param>
    public ConfigStore(string? file, ReloadSettings settings, ILogger logger, InjectorMetrics metrics, TimeProvider? time = null,
        Func<string, InjectorConfig>? parse = null)
    {
        _file = file;
        _parse = parse ?? InjectorConfig.Parse;
        _logger = logger;
        _metrics = metrics;
        metrics.SetConfigRevision(_current.Revision);
        if (file is not null)
        {
            _reloader = new FileReloader([file], settings, time ?? TimeProvider.System, logger, Use,
                error => Refuse("unreadable", error), () => Log.ConfigChanging(logger, file));
        }
    }

    public InjectorConfig Current => _current;

    /// <summary>True once <see cref="Start"/> has put the built-in config or the file's in force.</summary>
    public bool IsLoaded => _started;

    /// <summary>Loads the file now and keeps watching it.</summary>
    /// <exception cref="StartupException">The file cannot be used; the message says why.</exception>
    public void Start()
    {
        if (_reloader is null)
        {
            Log.ConfigLoaded(_logger, "(built-in)", _current.Revision);
            _started = true;
            return;
        }

        if (!_reloader.LoadNow(out var error))
        {
            throw new StartupException($"cannot load config '{_file}': {error}");
        }

        _started = true;
        _reloader.Watch();
    }

    /// <summary>Reads the file and uses it now if it is valid (tests); otherwise keeps the current config.</summary>
    public bool TryReload(out string? error)
    {
        error = null;
        return _reloader is null || _reloader.LoadNow(out error);
    }

    private string? Use(byte[][] contents)
    {
        string reason = "invalid";
        string error;
        try
        {
            var text = StrictUtf8.GetString(contents[0]);
            if (string.IsNullOrWhiteSpace(text))
            {
                // Almost always a write in progress; a deliberate "use the defaults" is spelled by dropping --config.
                reason = "empty";
                error = "the file is empty (to use the built-in defaults, run without --config)";
            }
            else
            {
                var config = _parse(text);
                _current = config;
                _metrics.SetConfigRevision(config.Revision);
                _metrics.ConfigReload("ok");
                Log.ConfigLoaded(_logger, _file!, config.Revision);
                return null;
            }
        }
        catch (DecoderFallbackException)
        {
            error = "the file is not valid UTF-8";
        }
        catch (InjectorConfigException ex)
        {
            error = ex.Message;
        }
        catch (Exception ex)
        {
            // A parser failure nobody foresaw must not end the process: this runs on a timer thread.
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        Refuse(reason, error);
        return error;
    }

    private void Refuse(string reason, string error)
    {
        if (!_started)
        {
            return; // start-up fails with this error as its one line instead
        }

        _metrics.ConfigReload("error", reason);
        Log.ConfigReloadFailed(_logger, _file!, reason, Log.OneLine(error));
    }

    public void Dispose() => _reloader?.Dispose();
}
