using System.Buffers;
using System.Buffers.Text;

namespace Sidecars.Http;

/// <summary>Frames an <see cref="HttpResponse"/> as HTTP/1.1 bytes. Pure: the date and server name are passed in.</summary>
internal static class ResponseWriter
{
    /// <param name="output">Where the bytes go.</param>
    /// <param name="response">What to send.</param>
    /// <param name="date">The <c>Date</c> header value.</param>
    /// <param name="server">The <c>Server</c> header value; empty leaves the header out.</param>
    /// <param name="keepAlive">False adds <c>Connection: close</c>; the caller then closes.</param>
    /// <param name="http10KeepAlive">An HTTP/1.0 client asked for keep-alive, which must be confirmed explicitly.</param>
    /// <param name="omitBody">HEAD: same headers, no body (RFC 9110 9.3.2).</param>
    public static void Write(IBufferWriter<byte> output, HttpResponse response, ReadOnlySpan<byte> date, ReadOnlySpan<byte> server, bool keepAlive, bool http10KeepAlive, bool omitBody)
    {
        var body = response.Body.Span;
        var contentType = response.ContentType.Span;
        // Fixed parts are < 200 bytes; GetSpan may return more, never less.
        var span = output.GetSpan(256 + date.Length + server.Length + contentType.Length + body.Length);
        var n = 0;
        Append(span, ref n, "HTTP/1.1 "u8);
        Utf8Formatter.TryFormat(response.StatusCode, span[n..], out var written);
        n += written;
        span[n++] = (byte)' ';
        Append(span, ref n, HttpResponse.ReasonPhrase(response.StatusCode));
        Append(span, ref n, "\r\nDate: "u8);
        Append(span, ref n, date);
        if (!server.IsEmpty)
        {
            Append(span, ref n, "\r\nServer: "u8);
            Append(span, ref n, server);
        }

        Append(span, ref n, "\r\nContent-Type: "u8);
        Append(span, ref n, contentType);
        Append(span, ref n, "\r\nContent-Length: "u8);
        Utf8Formatter.TryFormat(body.Length, span[n..], out written);
        n += written;
        Append(span, ref n, "\r\nCache-Control: no-store"u8);
        if (response.AllowGetHead)
        {
            Append(span, ref n, "\r\nAllow: GET, HEAD"u8);
        }

        if (!keepAlive)
        {
            Append(span, ref n, "\r\nConnection: close"u8);
        }
        else if (http10KeepAlive)
        {
            Append(span, ref n, "\r\nConnection: keep-alive"u8);
        }

        Append(span, ref n, "\r\n\r\n"u8);
        if (!omitBody)
        {
            Append(span, ref n, body);
        }

        output.Advance(n);
    }

    private static void Append(Span<byte> span, ref int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[position..]);
        position += bytes.Length;
    }
}
