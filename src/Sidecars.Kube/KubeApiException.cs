using Sidecars.Runtime.Errors;

namespace Sidecars.Kube;

/// <summary>
/// A failed API call: a non-success answer (HTTP status or a watch <c>ERROR</c> event), or no answer at all
/// (<see cref="StatusCode"/> 0: unreachable, TLS failure, timeout, a malformed answer). The message is one sentence
/// naming the call.
/// </summary>
public sealed class KubeApiException : SidecarException
{
    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeApiException(int statusCode, string? reason, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>HTTP status code, or the <c>code</c> of the Status of a watch ERROR event (410 = Gone/Expired); 0 when
    /// there was no answer.</summary>
    public int StatusCode { get; }

    /// <summary>The Status <c>reason</c> (for example <c>Expired</c>, <c>Forbidden</c>) when the API sent one.</summary>
    public string? Reason { get; }

    /// <summary>The resourceVersion is too old (or a list's continue token expired): list again.</summary>
    public bool IsGone => StatusCode == 410;
}
