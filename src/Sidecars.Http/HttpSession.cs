namespace Sidecars.Http;

/// <summary>
/// One connection's HTTP/1.1 state machine without the socket: bytes in, response bytes out. Handles
/// requests split across reads, several requests in one read (pipelining, answered in order) and bodies to
/// skip, so all of that is unit-tested byte by byte.
/// </summary>
internal sealed class HttpSession(IHttpHandler handler, HttpDate date, int maxHeadBytes = HttpRequestParser.DefaultMaxHeadBytes, byte[]? server = null)
{
    /// <summary>Stop and let the loop send once this much is pending, so pipelined input cannot grow the output without bound.</summary>
    public const int OutputFlushThreshold = 4 * 1024;

    private readonly byte[] _server = server ?? [];
    private long _bodyToSkip;

    /// <summary>Requests answered so far; the socket loop restarts the request deadline when it moves.</summary>
    public long RequestsCompleted { get; private set; }

    /// <summary>The connection is closing because the input could not be framed (400, 413, 431, 501, 505).</summary>
    public bool ClosedOnError { get; private set; }

    /// <summary>True while the body of an answered request is still being skipped.</summary>
    public bool SkippingBody => _bodyToSkip > 0;

    /// <param name="input">Bytes received and not yet consumed.</param>
    /// <param name="output">Receives the framed responses.</param>
    /// <param name="consumed">How many bytes of <paramref name="input"/> were used up; the caller drops them.</param>
    public SessionStatus Process(ReadOnlySpan<byte> input, OutputBuffer output, out int consumed)
    {
        consumed = 0;
        var start = output.WrittenCount;
        while (true)
        {
            if (_bodyToSkip > 0)
            {
                var skip = (int)Math.Min(_bodyToSkip, input.Length - consumed);
                consumed += skip;
                _bodyToSkip -= skip;
                if (_bodyToSkip > 0)
                {
                    return SessionStatus.NeedMoreInput;
                }
            }

            if (consumed == input.Length)
            {
                return SessionStatus.NeedMoreInput;
            }

            if (output.WrittenCount - start >= OutputFlushThreshold)
            {
                return SessionStatus.OutputFull;
            }

            var status = HttpRequestParser.TryParse(input[consumed..], maxHeadBytes, out var request, out var headLength);
            if (status == ParseStatus.Incomplete)
            {
                return SessionStatus.NeedMoreInput;
            }

            if (status != ParseStatus.Complete)
            {
                // The stream can no longer be framed: answer, then close (RFC 9112 9.6 "Connection: close").
                ResponseWriter.Write(output, ErrorFor(status), date.Now, _server, keepAlive: false, http10KeepAlive: false, omitBody: false);
                consumed = input.Length;
                RequestsCompleted++;
                ClosedOnError = true;
                return SessionStatus.Close;
            }

            consumed += headLength;
            _bodyToSkip = request.ContentLength;
            var response = handler.Handle(request.Method, request.Path);
            var keepAlive = request.KeepAlive && !response.Close && !(request.ExpectsContinue && request.ContentLength > 0);
            ResponseWriter.Write(output, response, date.Now, _server, keepAlive, request.IsHttp10 && keepAlive, request.IsHead);
            RequestsCompleted++;
            if (!keepAlive)
            {
                return SessionStatus.Close;
            }
        }
    }

    private static HttpResponse ErrorFor(ParseStatus status) => status switch
    {
        ParseStatus.HeadTooLarge => HttpResponse.HeadTooLarge,
        ParseStatus.BodyTooLarge => HttpResponse.BodyTooLarge,
        ParseStatus.UnsupportedVersion => HttpResponse.UnsupportedVersion,
        ParseStatus.UnsupportedTransferEncoding => HttpResponse.UnsupportedTransferEncoding,
        _ => HttpResponse.BadRequest,
    };
}
