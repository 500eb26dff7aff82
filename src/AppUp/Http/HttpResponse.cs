using System.Text;

namespace AppUp.Http;

/// <summary>
/// A response before framing: status, a short text body and whether it carries <c>Allow</c>.
/// The fixed answers are static instances so routing allocates nothing; the body is never empty
/// (the original appup answered unknown paths with an empty reply, which confuses people and probes).
/// </summary>
internal sealed class HttpResponse
{
    public HttpResponse(int statusCode, string body, bool allowGetHead = false, bool close = false)
    {
        StatusCode = statusCode;
        Body = Encoding.UTF8.GetBytes(body);
        AllowGetHead = allowGetHead;
        Close = close;
    }

    public int StatusCode { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Adds <c>Allow: GET, HEAD</c>, required on 405 (RFC 9110 15.5.6).</summary>
    public bool AllowGetHead { get; }

    /// <summary>The connection must be closed after this response (errors where the stream can no longer be trusted).</summary>
    public bool Close { get; }

    public static HttpResponse BadRequest { get; } = new(400, "bad request: not a valid HTTP/1.1 request\n", close: true);

    public static HttpResponse HeadTooLarge { get; } = new(431, "request header fields too large\n", close: true);

    public static HttpResponse BodyTooLarge { get; } = new(413, "request body too large: appup endpoints take no body\n", close: true);

    public static HttpResponse UnsupportedTransferEncoding { get; } = new(501, "transfer-encoding not supported: appup endpoints take no body\n", close: true);

    public static HttpResponse UnsupportedVersion { get; } = new(505, "HTTP version not supported: use HTTP/1.1\n", close: true);

    public static ReadOnlySpan<byte> ReasonPhrase(int statusCode) => statusCode switch
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
