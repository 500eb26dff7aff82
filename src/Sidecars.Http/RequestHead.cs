namespace Sidecars.Http;

/// <summary>
/// One parsed request head. A ref struct over the receive buffer so the hot path (a probe every second, or
/// a load test) allocates nothing per request.
/// </summary>
internal readonly ref struct RequestHead
{
    public RequestHead(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, bool isHttp10, bool keepAlive, long contentLength, bool expectsContinue = false)
    {
        Method = method;
        Target = target;
        IsHttp10 = isHttp10;
        KeepAlive = keepAlive;
        ContentLength = contentLength;
        ExpectsContinue = expectsContinue;
    }

    public ReadOnlySpan<byte> Method { get; }

    /// <summary>The request-target exactly as sent (origin-form, absolute-form or '*').</summary>
    public ReadOnlySpan<byte> Target { get; }

    public bool IsHttp10 { get; }

    /// <summary>Whether the client wants the connection kept: HTTP/1.1 unless "close", HTTP/1.0 only with "keep-alive".</summary>
    public bool KeepAlive { get; }

    /// <summary>Body bytes that follow the head and must be skipped before the next request.</summary>
    public long ContentLength { get; }

    /// <summary>
    /// "Expect: 100-continue": the client may hold its body back until told to send it. We never send 100, so when
    /// such a request has a body the connection is closed after the response instead of guessing whether it follows.
    /// </summary>
    public bool ExpectsContinue { get; }

    public bool IsHead => Method.SequenceEqual("HEAD"u8);

    /// <summary>The path part of the target: no query, no fragment, no scheme or authority.</summary>
    public ReadOnlySpan<byte> Path
    {
        get
        {
            var target = Target;
            // absolute-form (RFC 9112 3.2.2), e.g. from a proxy: drop "scheme://authority".
            var scheme = target.IndexOf("://"u8);
            if (scheme > 0 && target[0] != (byte)'/')
            {
                var afterScheme = target[(scheme + 3)..];
                var slash = afterScheme.IndexOf((byte)'/');
                target = slash < 0 ? "/"u8 : afterScheme[slash..];
            }

            var end = target.IndexOfAny((byte)'?', (byte)'#');
            return end < 0 ? target : target[..end];
        }
    }
}
