using System.Security.Cryptography;
using System.Text;

namespace Injector.Hosting;

/// <summary>
/// Reads a set of files (a config; a certificate and its key) and hands their bytes to a consumer: now, and again
/// whenever they change and have settled (<see cref="ContentSettler"/>). The consumer validates and either uses or
/// refuses the content; content it has seen is not handed over again until it changes. Unreadable files settle like
/// content does, so a file missing for a moment while it is replaced is not reported and a lasting failure is
/// reported once.
/// </summary>
internal sealed class FileReloader : IDisposable
{
    private readonly string[] _files;
    private readonly Func<byte[][], string?> _use;
    private readonly Action<string> _unreadable;
    private readonly Action _changing;
    private readonly ContentSettler _settler;
    private readonly ILogger _logger;
    private FileChangeMonitor? _monitor;

    /// <param name="use">Validates and uses the content; returns null, or why it was refused (it logs and counts that itself).</param>
    /// <param name="unreadable">Reports a file that cannot be read (logs and counts).</param>
    /// <param name="changing">Notes a change that has not settled yet (debug log).</param>
    public FileReloader(string[] files, ReloadSettings settings, TimeProvider time, ILogger logger,
        Func<byte[][], string?> use, Action<string> unreadable, Action changing)
    {
        _files = files;
        _use = use;
        _unreadable = unreadable;
        _changing = changing;
        _logger = logger;
        _settler = new ContentSettler(settings.SettleTime, time);
        Settings = settings;
    }

    public ReloadSettings Settings { get; }

    /// <summary>Reads and hands over the content now, without waiting for it to settle (start-up, tests).</summary>
    public bool LoadNow(out string? error)
    {
        if (!TryRead(out var contents, out var fingerprint, out error))
        {
            _unreadable(error!);
            return false;
        }

        _settler.Handled(fingerprint);
        error = _use(contents);
        return error is null;
    }

    /// <summary>Starts watching; changes are handed over on a background thread.</summary>
    public void Watch() => _monitor ??= new FileChangeMonitor(_files, Settings, Check, _logger);

    /// <summary>The monitor's callback: false while the files are still changing (call again later).</summary>
    private bool Check()
    {
        var readable = TryRead(out var contents, out var fingerprint, out var error);
        switch (_settler.Observe(fingerprint))
        {
            case ContentState.Unchanged:
                return true;
            case ContentState.Changing:
                _changing();
                return false;
            default:
                _settler.Handled(fingerprint);
                if (readable)
                {
                    _use(contents);
                }
                else
                {
                    _unreadable(error!);
                }

                return true;
        }
    }

    private bool TryRead(out byte[][] contents, out byte[] fingerprint, out string? error)
    {
        contents = new byte[_files.Length][];
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var i = 0; i < _files.Length; i++)
            {
                contents[i] = BoundedFile.Read(_files[i]);
                hash.AppendData(BitConverter.GetBytes(contents[i].Length));
                hash.AppendData(contents[i]);
            }

            fingerprint = hash.GetHashAndReset();
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            fingerprint = SHA256.HashData(Encoding.UTF8.GetBytes("unreadable: " + error));
            return false;
        }
    }

    public void Dispose() => _monitor?.Dispose();
}
