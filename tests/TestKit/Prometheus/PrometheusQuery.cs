using System.Collections.Specialized;

namespace TestKit.Prometheus;

/// <summary>A query the stand-in received: endpoint (<c>query</c> or <c>query_range</c>), method and the decoded parameters.</summary>
public sealed record PrometheusQuery(string Endpoint, string Method, string? Query, NameValueCollection Parameters, string? Authorization, DateTimeOffset ReceivedAt)
{
    public bool IsRange => Endpoint == "query_range";

    public string? Time => Parameters["time"];

    public string? Start => Parameters["start"];

    public string? End => Parameters["end"];

    public string? Step => Parameters["step"];

    public string? Timeout => Parameters["timeout"];
}
