using System.Buffers;

namespace Sidecars.Http;

/// <summary>
/// Parses an HTTP/1.x request head (RFC 9112) from a byte span. Pure and allocation-free; the socket loop
/// calls it again with more bytes whenever it answers <see cref="ParseStatus.Incomplete"/>.
/// Strict where leniency would let a request be misframed (whitespace before a colon, obs-fold, conflicting
/// Content-Length), lenient where RFC 9112 allows it (bare LF line ends, empty lines before the request).
/// </summary>
internal static class HttpRequestParser
{
    /// <summary>Default cap on request line plus headers; probes send well under 200 bytes.</summary>
    public const int DefaultMaxHeadBytes = 8 * 1024;

    /// <summary>Largest body we read and discard; none of our endpoints takes a body.</summary>
    public const long MaxSkippedBody = 64 * 1024;

    // RFC 9110 5.6.2 token characters.
    private static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static ParseStatus TryParse(ReadOnlySpan<byte> input, int maxHeadBytes, out RequestHead head, out int consumed)
    {
        head = default;
        consumed = 0;

        // RFC 9112 2.2: ignore empty lines received before the request-line.
        var start = 0;
        while (start < input.Length && (input[start] == (byte)'\n' || (input[start] == (byte)'\r' && start + 1 < input.Length && input[start + 1] == (byte)'\n')))
        {
            start += input[start] == (byte)'\r' ? 2 : 1;
        }

        var position = start;
        if (!TryReadLine(input, ref position, out var requestLine))
        {
            return input.Length >= maxHeadBytes ? ParseStatus.HeadTooLarge : ParseStatus.Incomplete;
        }

        var status = ParseRequestLine(requestLine, out var method, out var target, out var isHttp10);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        var keepAlive = !isHttp10;
        long contentLength = 0;
        var sawContentLength = false;
        var sawTransferEncoding = false;
        var expectsContinue = false;
        while (true)
        {
            if (position > maxHeadBytes)
            {
                return ParseStatus.HeadTooLarge;
            }

            if (!TryReadLine(input, ref position, out var line))
            {
                return input.Length >= maxHeadBytes ? ParseStatus.HeadTooLarge : ParseStatus.Incomplete;
            }

            if (line.IsEmpty)
            {
                break;
            }

            status = ParseHeader(line, ref keepAlive, ref contentLength, ref sawContentLength, ref sawTransferEncoding, ref expectsContinue);
            if (status != ParseStatus.Complete)
            {
                return status;
            }
        }

        if (position > maxHeadBytes)
        {
            return ParseStatus.HeadTooLarge;
        }

        if (sawTransferEncoding)
        {
            // Both framing headers is a smuggling vector (RFC 9112 6.1); TE alone we cannot decode.
            return sawContentLength ? ParseStatus.Malformed : ParseStatus.UnsupportedTransferEncoding;
        }

        if (contentLength > MaxSkippedBody)
        {
            return ParseStatus.BodyTooLarge;
        }

        head = new RequestHead(method, target, isHttp10, keepAlive, contentLength, expectsContinue);
        consumed = position;
        return ParseStatus.Complete;
    }

    /// <summary>Reads up to the next LF; strips one CR before it. A CR anywhere else makes the line invalid later.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> input, scoped ref int position, out ReadOnlySpan<byte> line)
    {
        var newline = input[position..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = default;
            return false;
        }

        line = input.Slice(position, newline);
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        position += newline + 1;
        return true;
    }

    private static ParseStatus ParseRequestLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> method, out ReadOnlySpan<byte> target, out bool isHttp10)
    {
        method = default;
        target = default;
        isHttp10 = false;

        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            return ParseStatus.Malformed;
        }

        method = line[..firstSpace];
        target = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (method.ContainsAnyExcept(TokenChars) || target.IsEmpty || !IsValidTarget(target))
        {
            return ParseStatus.Malformed;
        }

        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            return ParseStatus.Complete;
        }

        if (version.SequenceEqual("HTTP/1.0"u8))
        {
            isHttp10 = true;
            return ParseStatus.Complete;
        }

        // Well-formed but another version (HTTP/2.0 prior knowledge, HTTP/3.0): 505, anything else: 400.
        return version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5])
            && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7])
            ? ParseStatus.UnsupportedVersion
            : ParseStatus.Malformed;
    }

    // Visible ASCII only; this also rejects the extra spaces of "GET /a b HTTP/1.1" and stray CRs.
    private static bool IsValidTarget(ReadOnlySpan<byte> target) =>
        !target.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E)
        && (target[0] == (byte)'/' || target.SequenceEqual("*"u8) || target.IndexOf("://"u8) > 0);

    private static ParseStatus ParseHeader(ReadOnlySpan<byte> line, ref bool keepAlive, ref long contentLength, ref bool sawContentLength, ref bool sawTransferEncoding, ref bool expectsContinue)
    {
        var colon = line.IndexOf((byte)':');
        // No colon, an empty name, whitespace before the colon or an obs-fold continuation line: all 400.
        if (colon <= 0 || line[..colon].ContainsAnyExcept(TokenChars))
        {
            return ParseStatus.Malformed;
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return ParseStatus.Malformed;
            }
        }

        if (name.EqualsIgnoreCaseAscii("Content-Length"u8))
        {
            if (!TryParseContentLength(value, out var length) || (sawContentLength && length != contentLength))
            {
                return ParseStatus.Malformed;
            }

            sawContentLength = true;
            contentLength = length;
        }
        else if (name.EqualsIgnoreCaseAscii("Transfer-Encoding"u8))
        {
            sawTransferEncoding = true;
        }
        else if (name.EqualsIgnoreCaseAscii("Expect"u8))
        {
            expectsContinue = value.EqualsIgnoreCaseAscii("100-continue"u8);
        }
        else if (name.EqualsIgnoreCaseAscii("Connection"u8))
        {
            ApplyConnectionOptions(value, ref keepAlive);
        }

        return ParseStatus.Complete;
    }

    private static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    // "Connection" is a comma list of options (RFC 9110 7.6.1); only close and keep-alive matter here.
    private static void ApplyConnectionOptions(ReadOnlySpan<byte> value, ref bool keepAlive)
    {
        foreach (var range in value.Split((byte)','))
        {
            var option = value[range].Trim(" \t"u8);
            if (option.EqualsIgnoreCaseAscii("close"u8))
            {
                keepAlive = false;
                return;
            }

            if (option.EqualsIgnoreCaseAscii("keep-alive"u8))
            {
                keepAlive = true;
            }
        }
    }

    private static bool EqualsIgnoreCaseAscii(this ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        System.Text.Ascii.EqualsIgnoreCase(left, right);
}
