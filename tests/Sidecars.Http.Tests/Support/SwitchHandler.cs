using Sidecars.Http;

namespace Sidecars.Http.Tests.Support;

/// <summary>A handler with a switch, shaped like appup's: <c>/up</c>, <c>/down</c> (503 when already down),
/// <c>/health</c>; 404 elsewhere, 405 for methods other than GET and HEAD.</summary>
internal sealed class SwitchHandler : IHttpHandler
{
    private static readonly HttpResponse Up = new(200, "app is up\n");
    private static readonly HttpResponse Down = new(200, "app is down\n");
    private static readonly HttpResponse AlreadyDown = new(503, "app is already down\n");
    private static readonly HttpResponse HealthDown = new(503, "app is down\n");
    private static readonly HttpResponse NotFound = new(404, "not found\n");
    private static readonly HttpResponse MethodNotAllowed = new(405, "method not allowed\n", allowGetHead: true);

    public bool IsPresent { get; private set; } = true;

    public int Calls { get; private set; }

    public HttpResponse Handle(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path)
    {
        Calls++;
        if (!path.SequenceEqual("/up"u8) && !path.SequenceEqual("/down"u8) && !path.SequenceEqual("/health"u8))
        {
            return NotFound;
        }

        if (!method.SequenceEqual("GET"u8) && !method.SequenceEqual("HEAD"u8))
        {
            return MethodNotAllowed;
        }

        if (path.SequenceEqual("/up"u8))
        {
            IsPresent = true;
            return Up;
        }

        if (path.SequenceEqual("/down"u8))
        {
            var was = IsPresent;
            IsPresent = false;
            return was ? Down : AlreadyDown;
        }

        return IsPresent ? Up : HealthDown;
    }
}
