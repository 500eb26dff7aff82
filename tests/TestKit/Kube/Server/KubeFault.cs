using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.Kube.Server;

/// <summary>
/// A fault the stand-in injects instead of (or around) the normal answer: a Status error (403, 429 with Retry-After,
/// 500...), a non-Status body such as a proxy sends, a hang until the client gives up, a delay, a slow or cut-off
/// body, or a reset connection.
/// </summary>
public abstract record KubeFault
{
    /// <summary>A short description for the request log.</summary>
    public abstract string Describe();

    /// <summary>A Status error with the given code, reason and message.</summary>
    public static KubeFault Status(int code, string reason, string message) => new StatusFault(code, reason, message, null);

    /// <summary>
    /// 403 Forbidden with the RBAC authorizer's message for the request, e.g. <c>pods is forbidden: User
    /// "system:serviceaccount:shop:default" cannot list resource "pods" in API group "" in the namespace "shop"</c>.
    /// </summary>
    public static KubeFault Forbidden(string user = "system:serviceaccount:default:default") => new ForbiddenFault(user);

    /// <summary>500 InternalError Status.</summary>
    public static KubeFault InternalError(string message = "etcdserver: request timed out") =>
        new StatusFault(500, "InternalError", "Internal error occurred: " + message, null);

    /// <summary>503 ServiceUnavailable Status.</summary>
    public static KubeFault ServiceUnavailable(string message = "the server is currently unable to handle the request") =>
        new StatusFault(503, "ServiceUnavailable", message, null);

    /// <summary>429 TooManyRequests Status with a Retry-After header (API Priority and Fairness rejecting a request).</summary>
    public static KubeFault TooManyRequests(TimeSpan? retryAfter = null) =>
        new StatusFault(429, "TooManyRequests", "Too many requests, please try again later.", retryAfter ?? TimeSpan.FromSeconds(1));

    /// <summary>A plain, non-Status error body (a proxy or load balancer in front of the API server).</summary>
    public static KubeFault PlainText(int code, string body = "internal error\n") => new PlainTextFault(code, body);

    /// <summary>Holds the request open without answering until the client cancels or the server stops.</summary>
    public static KubeFault Hang() => new HangFault();

    /// <summary>Waits, then serves the request normally.</summary>
    public static KubeFault Delay(TimeSpan delay) => new DelayFault(delay);

    /// <summary>Serves the normal answer, <paramref name="chunkSize"/> bytes every <paramref name="interval"/>.</summary>
    public static KubeFault SlowBody(TimeSpan interval, int chunkSize = 16) => new SlowBodyFault(interval, chunkSize);

    /// <summary>Sends headers (with the full Content-Length) and the first <paramref name="fraction"/> of the normal body, then aborts.</summary>
    public static KubeFault PartialBody(double fraction = 0.5) => new PartialBodyFault(fraction);

    /// <summary>Aborts the connection before any answer.</summary>
    public static KubeFault ResetConnection() => new ResetFault();

    internal sealed record StatusFault(int Code, string Reason, string Message, TimeSpan? RetryAfter) : KubeFault
    {
        public override string Describe() => $"status {Code} {Reason}";

        internal JsonObject Body()
        {
            var details = RetryAfter is { } retry ? new JsonObject { ["retryAfterSeconds"] = (int)Math.Ceiling(retry.TotalSeconds) } : null;
            return KubeStatus.Failure(Code, Reason, Message, details);
        }
    }

    internal sealed record ForbiddenFault(string User) : KubeFault
    {
        public override string Describe() => "status 403 Forbidden";

        internal JsonObject Body(RecordedRequest request)
        {
            var resource = request.Resource;
            var plural = resource?.Plural ?? "";
            var target = request.Subresource is null ? plural : plural + "/" + request.Subresource;
            var subject = request.Name is null ? (resource?.GroupResource ?? "resource") : $"{resource?.GroupResource} \"{request.Name}\"";
            var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
            var message = $"{subject} is forbidden: User \"{User}\" cannot {request.Verb} resource \"{target}\" in API group \"{resource?.Group}\" {scope}";
            return KubeStatus.Failure(403, "Forbidden", message, KubeStatus.Details(resource, request.Name));
        }
    }

    internal sealed record PlainTextFault(int Code, string Text) : KubeFault
    {
        public override string Describe() => $"plain {Code}";
    }

    internal sealed record HangFault : KubeFault
    {
        public override string Describe() => "hang";
    }

    internal sealed record DelayFault(TimeSpan Duration) : KubeFault
    {
        public override string Describe() => "delay " + Duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    internal sealed record SlowBodyFault(TimeSpan Interval, int ChunkSize) : KubeFault
    {
        public override string Describe() => "slow body";
    }

    internal sealed record PartialBodyFault(double Fraction) : KubeFault
    {
        public override string Describe() => "partial body";
    }

    internal sealed record ResetFault : KubeFault
    {
        public override string Describe() => "connection reset";
    }
}

/// <summary>Fault rules, checked in the order added; a rule with a count is used up after that many requests.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<Rule> _rules = [];

    /// <summary>
    /// Injects <paramref name="fault"/> into requests matching <paramref name="when"/> (all requests when null),
    /// the next <paramref name="times"/> of them (forever when null). Returns a handle that removes the rule.
    /// </summary>
    public IDisposable Add(KubeFault fault, Func<RecordedRequest, bool>? when = null, int? times = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var rule = new Rule(fault, when ?? (_ => true), times);
        lock (_lock)
        {
            _rules.Add(rule);
        }

        return new Removal(this, rule);
    }

    /// <summary>The next <paramref name="count"/> matching requests get <paramref name="fault"/>.</summary>
    public IDisposable FailNext(KubeFault fault, int count = 1, Func<RecordedRequest, bool>? when = null) => Add(fault, when, count);

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>How many times faults were served so far.</summary>
    public int Served { get; private set; }

    internal KubeFault? Take(RecordedRequest request)
    {
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if (rule.Remaining is not 0 && rule.When(request))
                {
                    if (rule.Remaining is { } n)
                    {
                        rule.Remaining = n - 1;
                    }

                    Served++;
                    return rule.Fault;
                }
            }

            return null;
        }
    }

    private void Remove(Rule rule)
    {
        lock (_lock)
        {
            _rules.Remove(rule);
        }
    }

    private sealed class Rule(KubeFault fault, Func<RecordedRequest, bool> when, int? remaining)
    {
        public KubeFault Fault { get; } = fault;

        public Func<RecordedRequest, bool> When { get; } = when;

        public int? Remaining { get; set; } = remaining;
    }

    private sealed class Removal(FaultInjector owner, Rule rule) : IDisposable
    {
        public void Dispose() => owner.Remove(rule);
    }
}
