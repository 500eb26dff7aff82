namespace Sidecars.Http;

/// <summary>Outcome of parsing one request head from the bytes received so far.</summary>
internal enum ParseStatus
{
    /// <summary>A whole head was parsed.</summary>
    Complete,

    /// <summary>The head is not complete yet: read more bytes.</summary>
    Incomplete,

    /// <summary>Not HTTP/1.x syntax: answer 400 and close.</summary>
    Malformed,

    /// <summary>The head does not fit in the header cap: answer 431 and close.</summary>
    HeadTooLarge,

    /// <summary>An HTTP version other than 1.0 or 1.1: answer 505 and close.</summary>
    UnsupportedVersion,

    /// <summary>A Transfer-Encoding we do not decode, so the message cannot be framed: answer 501 and close.</summary>
    UnsupportedTransferEncoding,

    /// <summary>A body larger than we are willing to skip: answer 413 and close.</summary>
    BodyTooLarge,
}
