using System.Text;
using AppUp.State;
using Sidecars.Contract;
using Sidecars.Http;
using Sidecars.Runtime.Errors;

namespace AppUp.Routing;

/// <summary>
/// Maps a request to the appup contract (<see cref="AppUpContract"/>): <c>/up</c>, <c>/down</c>, <c>/health</c>.
/// GET and HEAD only (HEAD mutates like GET, as probes and curl -I expect); other methods 405, other paths 404.
/// Logs each transition of the observed state, including ones made outside appup and noticed by a probe.
/// </summary>
internal sealed class Router : IHttpHandler
{
    private static readonly byte[] HealthPath = Encoding.ASCII.GetBytes(AppUpContract.HealthPath);
    private static readonly byte[] UpPath = Encoding.ASCII.GetBytes(AppUpContract.UpPath);
    private static readonly byte[] DownPath = Encoding.ASCII.GetBytes(AppUpContract.DownPath);

    private static readonly HttpResponse UpOk = new(200, "app is up\n");
    private static readonly HttpResponse DownOk = new(200, "app is down\n");
    private static readonly HttpResponse AlreadyDown = new(503, "app is already down\n");
    private static readonly HttpResponse HealthUp = new(200, "app is up\n");
    private static readonly HttpResponse HealthDown = new(503, "app is down\n");
    private static readonly HttpResponse NotFound = new(404, $"not found: appup serves {AppUpContract.UpPath}, {AppUpContract.DownPath} and {AppUpContract.HealthPath}\n");
    private static readonly HttpResponse MethodNotAllowed = new(405, "method not allowed: use GET or HEAD\n", allowGetHead: true);

    private const int Unknown = -1;
    private const int Down = 0;
    private const int Up = 1;

    private readonly IUpFile _file;
    private readonly Action<string> _log;
    private int _observed = Unknown;

    public Router(IUpFile file, Action<string> log)
    {
        _file = file;
        _log = log;
    }

    public HttpResponse Handle(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path)
    {
        var endpoint = path switch
        {
            _ when path.SequenceEqual(HealthPath) => Endpoint.Health,
            _ when path.SequenceEqual(UpPath) => Endpoint.Up,
            _ when path.SequenceEqual(DownPath) => Endpoint.Down,
            _ => Endpoint.None,
        };

        if (endpoint == Endpoint.None)
        {
            return NotFound;
        }

        if (!method.SequenceEqual("GET"u8) && !method.SequenceEqual("HEAD"u8))
        {
            return MethodNotAllowed;
        }

        try
        {
            switch (endpoint)
            {
                case Endpoint.Up:
                    _file.Create();
                    Observe(up: true, "GET " + AppUpContract.UpPath);
                    return UpOk;
                case Endpoint.Down:
                    var removed = _file.Remove();
                    Observe(up: false, "GET " + AppUpContract.DownPath);
                    return removed ? DownOk : AlreadyDown;
                default:
                    var exists = _file.Exists();
                    Observe(exists, "a change outside appup, seen by " + AppUpContract.HealthPath);
                    return exists ? HealthUp : HealthDown;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var action = endpoint == Endpoint.Up ? "create" : endpoint == Endpoint.Down ? "remove" : "check";
            var message = $"cannot {action} {_file.Path}: {ErrorText.Describe(e)}";
            _log(message);
            return new HttpResponse(500, message + "\n");
        }
    }

    /// <summary>Records the state now known; logs when it differs from the last one known.</summary>
    public void Observe(bool up, string cause)
    {
        var next = up ? Up : Down;
        var previous = Interlocked.Exchange(ref _observed, next);
        if (previous != next && previous != Unknown)
        {
            _log($"state {(up ? "up" : "down")} (was {(previous == Up ? "up" : "down")}) after {cause}");
        }
    }

    private enum Endpoint
    {
        None,
        Health,
        Up,
        Down,
    }
}
