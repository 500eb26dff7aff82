using System.Text;

namespace Sidecars.Kube;

/// <summary>
/// A bearer token read from a file and re-read at most every <c>refresh</c> interval: projected service-account
/// tokens rotate (kubelet rewrites the file), so reading it once at start would fail after about an hour.
/// Keeps the last good token when a re-read fails.
/// </summary>
internal sealed class FileTokenSource
{
    private readonly string _path;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _token;
    private long _readAt;

    public FileTokenSource(string path, TimeSpan refresh, TimeProvider? time = null)
    {
        _path = path;
        _refresh = refresh;
        _time = time ?? TimeProvider.System;
    }

    /// <exception cref="KubeConfigException">The first read failed.</exception>
    public string? Current()
    {
        lock (_lock)
        {
            if (_token is null || _time.GetElapsedTime(_readAt) >= _refresh)
            {
                try
                {
                    var text = Encoding.UTF8.GetString(KubeConfigReader.ReadBytes(_path, "bearer token file")).Trim();
                    _token = text.Length == 0 ? _token : text;
                }
                catch (KubeConfigException) when (_token is not null)
                {
                    // Keep the last good token; the next refresh tries again.
                }

                _readAt = _time.GetTimestamp();
            }

            return _token;
        }
    }
}
