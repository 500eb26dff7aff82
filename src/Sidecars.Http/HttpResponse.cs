using System.Text;

namespace Sidecars.Http;

/// <summary>
/// A response before framing: status, content type, a short body, and whether it carries <c>Allow</c>.
/// Handlers keep their fixed answers as static instances so routing allocates nothing; the body is never empty
/// (an empty reply to an unknown path confuses people and probes).
/// </summary>
public sealed class HttpResponse
{
    /// <summary>The default content type.</summary>
    public const string PlainText = "text/plain; charset=utf-8";

    public const string Json = "application/json";

    public HttpResponse(int statusCode, string body, bool allowGetHead = false, bool close = false, string contentType = PlainText)
        : this(statusCode, Encoding.UTF8.GetBytes(body), allowGetHead, close, contentType)
    {
    }

    public HttpResponse(int statusCode, ReadOnlyMemory<byte> body, bool allowGetHead = false, bool close = false, string contentType = PlainText)
    {
        StatusCode = statusCode;
        Body = body;
        AllowGetHead = allowGetHead;
        Close = close;
        ContentType = Encoding.ASCII.GetBytes(contentType);
    }

    public int StatusCode { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The <c>Content-Type</c> value, ASCII.</summary>
    public ReadOnlyMemory<byte> ContentType { get; }

    /// <summary>Adds <c>Allow: GET, HEAD</c>, required on 405 (RFC 9110 15.5.6).</summary>
    public bool AllowGetHead { get; }

    /// <summary>The connection must be closed after this response (errors where the stream can no longer be trusted).</summary>
    public bool Close { get; }

    internal static HttpResponse BadRequest { get; } = new(400, "bad request: not a valid HTTP/1.1 request\n", close: true);

    internal static HttpResponse HeadTooLarge { get; } = new(431, "request header fields too large\n", close: true);

    internal static HttpResponse BodyTooLarge { get; } = new(413, "request body too large: these endpoints take no body\n", close: true);

    internal static HttpResponse UnsupportedTransferEncoding { get; } = new(501, "transfer-encoding not supported: these endpoints take no body\n", close: true);

    internal static HttpResponse UnsupportedVersion { get; } = new(505, "HTTP version not supported: use HTTP/1.1\n", close: true);

    internal static ReadOnlySpan<byte> ReasonPhrase(int statusCode) => statusCode switch
    {
        200 => "OK"u8,
        400 => "Bad Request"u8,
        404 => "Not Found"u8,
        405 => "Method Not Allowed"u8,
        413 => "Content Too Large"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        501 => "Not Implemented"u8,
        503 => "Service Unavailable"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => "Unknown"u8,
    };
}
