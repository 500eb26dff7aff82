using System.Text;

namespace Shawarma.Http;

/// <summary>Parses an HTTP/1.x request head (request line + headers, up to the blank line). Pure, for tests.</summary>
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
        var text = Encoding.ASCII.GetString(head);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0].Length == 0 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        var keepAlive = requestLine[2] != "HTTP/1.0";
        var hasBody = false;
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = lines[i].AsSpan(0, colon).Trim();
            var value = lines[i].AsSpan(colon + 1).Trim();
            if (name.Equals("connection", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Contains("close", StringComparison.OrdinalIgnoreCase))
                {
                    keepAlive = false;
                }
                else if (value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    keepAlive = true;
                }
            }
            else if ((name.Equals("content-length", StringComparison.OrdinalIgnoreCase) && !value.SequenceEqual("0"))
                || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
            {
                hasBody = true;
            }
        }

        var target = requestLine[1];
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(target, UriKind.Absolute, out var absolute))
        {
            target = absolute.AbsolutePath; // absolute-form (proxies)
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return new HttpRequestHead(requestLine[0], query >= 0 ? target[..query] : target, keepAlive, hasBody);
    }
}
