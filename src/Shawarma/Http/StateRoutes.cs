using System.Text;
using Shawarma.State;
using Sidecars.Contract;
using Sidecars.Http;

namespace Shawarma.Http;

/// <summary>
/// The state server's answers (served by Sidecars.Http on loopback): <c>GET /deploymentstate</c> -> the state JSON,
/// <c>GET /_health</c> -> 200, other paths 404, other methods 405. The state response is built once per state, so a
/// GET allocates nothing.
/// </summary>
internal sealed class StateRoutes(Func<DeploymentState> state) : IHttpHandler
{
    private static readonly byte[] StatePath = Encoding.ASCII.GetBytes(ShawarmaContract.DeploymentStatePath);
    private static readonly byte[] HealthPath = Encoding.ASCII.GetBytes(ShawarmaContract.HealthPath);
    private static readonly HttpResponse Healthy = new(200, "OK");
    private static readonly HttpResponse NotFound = new(404, $"not found: shawarma serves {ShawarmaContract.DeploymentStatePath} and {ShawarmaContract.HealthPath}\n");
    private static readonly HttpResponse MethodNotAllowed = new(405, "method not allowed: use GET or HEAD\n", allowGetHead: true);

    private Cached? _cached;

    public HttpResponse Handle(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path)
    {
        var isState = path.SequenceEqual(StatePath);
        if (!isState && !path.SequenceEqual(HealthPath))
        {
            return NotFound;
        }

        if (!method.SequenceEqual("GET"u8) && !method.SequenceEqual("HEAD"u8))
        {
            return MethodNotAllowed;
        }

        return isState ? Current() : Healthy;
    }

    private HttpResponse Current()
    {
        var now = state();
        var cached = Volatile.Read(ref _cached);
        if (!ReferenceEquals(cached?.State, now))
        {
            cached = new Cached(now, new HttpResponse(200, now.JsonUtf8, contentType: HttpResponse.Json));
            Volatile.Write(ref _cached, cached);
        }

        return cached.Response;
    }

    private sealed record Cached(DeploymentState State, HttpResponse Response);
}
