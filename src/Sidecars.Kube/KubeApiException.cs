namespace Sidecars.Kube;

/// <summary>A non-success answer from the Kubernetes API (HTTP status or a watch <c>ERROR</c> event).</summary>
public sealed class KubeApiException : Exception
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

    public KubeApiException(int statusCode, string? reason, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>HTTP status code, or the <c>code</c> of the Status object of a watch ERROR event (410 = Gone/Expired).</summary>
    public int StatusCode { get; }

    /// <summary>The Status <c>reason</c> (for example <c>Expired</c>, <c>Forbidden</c>) when the API sent one.</summary>
    public string? Reason { get; }

    /// <summary>True when the resource version is too old: the caller must list again.</summary>
    public bool IsGone => StatusCode == 410;
}
