namespace Sidecars.Kube;

/// <summary>Something a <see cref="ListWatch"/> did that its owner may want to log.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">One sentence, ready to log.</param>
/// <param name="Delay">The wait before the next request (zero when there is none).</param>
/// <param name="StatusCode">The API's status when an answer caused it; 0 otherwise.</param>
public sealed record ListWatchNotice(ListWatchNoticeKind Kind, string Message, TimeSpan Delay, int StatusCode);

public enum ListWatchNoticeKind
{
    /// <summary>A list finished (Debug).</summary>
    Listed,

    /// <summary>The watch ended normally or went silent and is opened again (Debug).</summary>
    WatchEnded,

    /// <summary>410 Gone (HTTP, an ERROR event, or an expired continue token): listing again after the delay (Info).</summary>
    Relisting,

    /// <summary>A request failed or the handler asked to retry: trying again after the delay (Warn).</summary>
    Retrying,
}
