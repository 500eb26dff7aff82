namespace TestKit.Prometheus;

/// <summary>One query the stand-in received: how it was sent (GET or POST form), the PromQL, the evaluation time and the Authorization header.</summary>
public sealed record PrometheusQuery(string Method, string Query, string? Time, string? Timeout, string? Authorization);
