namespace Sidecars.Http;

/// <summary>Answers one request. Called on the connection's thread: keep it short and allocation-free.</summary>
public interface IHttpHandler
{
    /// <param name="method">The request method, e.g. <c>GET</c> (HEAD is answered like GET; the server drops the body).</param>
    /// <param name="path">The path of the target: no query, no fragment, no scheme or authority.</param>
    HttpResponse Handle(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path);
}
