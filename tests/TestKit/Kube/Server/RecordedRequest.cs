using System.Collections.Concurrent;
using System.Collections.Specialized;

namespace TestKit.Kube.Server;

/// <summary>
/// One request the stand-in received: method, path, query, body and content type as sent, plus what the server
/// made of it (verb, resource type, namespace, name, subresource, authenticated user) and the status it answered.
/// </summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(string method, string path, string queryString, NameValueCollection query, string body, string? contentType, DateTimeOffset time)
    {
        Method = method;
        Path = path;
        QueryString = queryString;
        Query = query;
        Body = body;
        ContentType = contentType;
        Time = time;
    }

    public string Method { get; }

    public string Path { get; }

    /// <summary>The raw query string including the leading '?', or empty.</summary>
    public string QueryString { get; }

    /// <summary>Decoded query parameters.</summary>
    public NameValueCollection Query { get; }

    public string Body { get; }

    public string? ContentType { get; }

    public DateTimeOffset Time { get; }

    /// <summary>get, list, watch, create, update, patch, delete, deletecollection, discovery, or unknown.</summary>
    public string Verb { get; internal set; } = "unknown";

    public ResourceType? Resource { get; internal set; }

    public string? Namespace { get; internal set; }

    public string? Name { get; internal set; }

    public string? Subresource { get; internal set; }

    /// <summary>The authenticated user (token's user or client certificate CN), or null when anonymous.</summary>
    public string? User { get; internal set; }

    /// <summary>The HTTP status answered (0 while a request or watch is still running, or when the connection was reset).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The fault injected into this request, if any.</summary>
    public string? Fault { get; internal set; }

    /// <summary>True for watch requests (<c>watch=true</c> or a <c>/watch/</c> path).</summary>
    public bool IsWatch => Verb == "watch";

    /// <summary>True when this is a request for <paramref name="type"/> (the same stored resource, any version).</summary>
    public bool Is(ResourceType type) => Resource is not null && Resource.GroupResource == type.GroupResource;

    public override string ToString() => $"{Method} {Path}{QueryString} -> {StatusCode}";
}

/// <summary>Every request the stand-in received, with the counters tests assert on (list calls, most requests in flight).</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>All requests so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> All => _requests.ToList();

    /// <summary>Requests matching <paramref name="predicate"/>.</summary>
    public IReadOnlyList<RecordedRequest> Where(Func<RecordedRequest, bool> predicate) => _requests.Where(predicate).ToList();

    public int Count(Func<RecordedRequest, bool> predicate) => _requests.Count(predicate);

    /// <summary>Number of list calls (not watches), optionally of one resource.</summary>
    public int ListCount(ResourceType? type = null) => _requests.Count(r => r.Verb == "list" && (type is null || r.Is(type)));

    /// <summary>Number of watch requests, optionally of one resource.</summary>
    public int WatchCount(ResourceType? type = null) => _requests.Count(r => r.Verb == "watch" && (type is null || r.Is(type)));

    /// <summary>Writes (create, update, patch, delete, deletecollection), optionally of one resource.</summary>
    public IReadOnlyList<RecordedRequest> Writes(ResourceType? type = null) =>
        Where(r => r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection" && (type is null || r.Is(type)));

    /// <summary>Requests (watches excluded) being served right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most non-watch requests ever served at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Forgets every request and resets the in-flight maximum.</summary>
    public void Clear()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _maxInFlight, Volatile.Read(ref _inFlight));
    }

    internal void Add(RecordedRequest request) => _requests.Enqueue(request);

    internal void Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
    }

    internal void Leave() => Interlocked.Decrement(ref _inFlight);
}
