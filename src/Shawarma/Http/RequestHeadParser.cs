using System.Text;

namespace Shawarma.Http;

/// <summary>
/// Parses an HTTP/1.x request head (request line + headers, up to the blank line) over spans, allocating only
/// the method and path strings: this is the hot path under load. Pure, for tests.
/// </summary>
internal static class RequestHeadParser
{
    /// <summary>Index just past <c>\r\n\r\n</c> in <paramref name="buffer"/>, or -1 when the head is incomplete.</summary>
    public static int FindHeadEnd(ReadOnlySpan<byte> buffer)
    {
        var i = buffer.IndexOf("\r\n\r\n"u8);
        return i < 0 ? -1 : i + 4;
    }

    /// <returns>The head, or null when it is malformed.</returns>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        var sp1 = requestLine.IndexOf((byte)' ');
        var sp2 = sp1 < 0 ? -1 : requestLine[(sp1 + 1)..].IndexOf((byte)' ');
        if (sp1 <= 0 || sp2 <= 0)
        {
            return null;
        }

        var method = requestLine[..sp1];
        var target = requestLine.Slice(sp1 + 1, sp2);
        var version = requestLine[(sp1 + sp2 + 2)..];
        if (!version.StartsWith("HTTP/1."u8) || version.Length != 8 || version.Contains((byte)' '))
        {
            return null;
        }

        var keepAlive = version[7] != (byte)'0';
        var hasBody = false;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim((byte)' ');
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                if (ContainsIgnoreCase(value, "close"u8))
                {
                    keepAlive = false;
                }
                else if (ContainsIgnoreCase(value, "keep-alive"u8))
                {
                    keepAlive = true;
                }
            }
            else if ((Ascii.EqualsIgnoreCase(name, "content-length"u8) && !value.SequenceEqual("0"u8))
                || Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                hasBody = true;
            }
        }

        if (target.StartsWith("http://"u8) || target.StartsWith("https://"u8))
        {
            // absolute-form (proxies): keep the path
            var afterScheme = target[(target.IndexOf("//"u8) + 2)..];
            var slash = afterScheme.IndexOf((byte)'/');
            target = slash < 0 ? "/"u8 : afterScheme[slash..];
        }

        var query = target.IndexOf((byte)'?');
        var path = query >= 0 ? target[..query] : target;
        return new HttpRequestHead(Intern(method), Intern(path), keepAlive, hasBody);
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        for (var i = 0; i + token.Length <= value.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(value.Slice(i, token.Length), token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The common values come from constants, so a keep-alive GET allocates nothing here.</summary>
    private static string Intern(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("GET"u8) ? "GET"
        : value.SequenceEqual("/deploymentstate"u8) ? "/deploymentstate"
        : value.SequenceEqual("/_health"u8) ? "/_health"
        : Encoding.ASCII.GetString(value);
}
