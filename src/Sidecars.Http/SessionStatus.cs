namespace Sidecars.Http;

/// <summary>What the socket loop does after <see cref="HttpSession.Process"/>.</summary>
internal enum SessionStatus
{
    /// <summary>Send what was written, then receive more bytes.</summary>
    NeedMoreInput,

    /// <summary>Send what was written, then call Process again on the unconsumed bytes (pipelined requests).</summary>
    OutputFull,

    /// <summary>Send what was written, then close the connection.</summary>
    Close,
}
