using System.Text.Json.Nodes;

namespace TestKit.Kube;

/// <summary>Builds <c>metav1.Status</c> bodies with the reasons, codes and messages kube-apiserver uses.</summary>
public static class KubeStatus
{
    /// <summary>A Failure Status: <c>{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}</c>.</summary>
    public static JsonObject Failure(int code, string? reason, string message, JsonObject? details = null, string? continueToken = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = continueToken is null ? new JsonObject() : new JsonObject { ["continue"] = continueToken },
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (!string.IsNullOrEmpty(reason))
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    /// <summary>A Success Status (what a DELETE of a collection or some deletes return).</summary>
    public static JsonObject Success(JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    internal static JsonObject Details(ResourceType? type, string? name, string? kindOverride = null)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (type is not null && type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        if (kindOverride is not null || type is not null)
        {
            details["kind"] = kindOverride ?? type!.Plural;
        }

        return details;
    }
}

/// <summary>An API error: the HTTP code and the Status body the stand-in answers with.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(int code, JsonObject status, TimeSpan? retryAfter = null)
        : base((string?)status["message"] ?? $"HTTP {code}")
    {
        Code = code;
        Status = status;
        RetryAfter = retryAfter;
    }

    public int Code { get; }

    public JsonObject Status { get; }

    public TimeSpan? RetryAfter { get; }

    public string? Reason => (string?)Status["reason"];

    /// <summary>404 <c>pods "x" not found</c>.</summary>
    public static KubeApiException NotFound(ResourceType type, string name) =>
        new(404, KubeStatus.Failure(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", KubeStatus.Details(type, name)));

    /// <summary>404 for a path the server does not serve.</summary>
    public static KubeApiException NoRoute() =>
        new(404, KubeStatus.Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject()));

    /// <summary>409 <c>pods "x" already exists</c>.</summary>
    public static KubeApiException AlreadyExists(ResourceType type, string name) =>
        new(409, KubeStatus.Failure(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", KubeStatus.Details(type, name)));

    /// <summary>409 Conflict, the optimistic-lock failure of an update with a stale resourceVersion.</summary>
    public static KubeApiException Conflict(ResourceType type, string name, string? why = null) =>
        new(409, KubeStatus.Failure(409, "Conflict",
            $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {why ?? "the object has been modified; please apply your changes to the latest version and try again"}",
            KubeStatus.Details(type, name)));

    /// <summary>400 BadRequest.</summary>
    public static KubeApiException BadRequest(string message) => new(400, KubeStatus.Failure(400, "BadRequest", message));

    /// <summary>422 Invalid with field causes: <c>Deployment.apps "x" is invalid: spec.selector: Required value</c>.</summary>
    public static KubeApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Message, ["field"] = error.Field });
        }

        var summary = errors.Count == 1
            ? $"{errors[0].Field}: {errors[0].Message}"
            : "[" + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Message}")) + "]";
        var details = KubeStatus.Details(type, name, type.Kind);
        details["causes"] = causes;
        return new KubeApiException(422, KubeStatus.Failure(422, "Invalid", $"{type.GroupKind} \"{name}\" is invalid: {summary}", details));
    }

    /// <summary>410 Expired (a too-old resourceVersion or continue token).</summary>
    public static KubeApiException Expired(string message, string? continueToken = null) =>
        new(410, KubeStatus.Failure(410, "Expired", message, continueToken: continueToken));

    /// <summary>500 InternalError: <c>Internal error occurred: ...</c>.</summary>
    public static KubeApiException Internal(string message) =>
        new(500, KubeStatus.Failure(500, "InternalError", "Internal error occurred: " + message,
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) }));

    /// <summary>A plain error the storage layer returns (not a Status error): 500 with no reason, the message as is.</summary>
    public static KubeApiException Unknown(string message) => new(500, KubeStatus.Failure(500, null, message));

    /// <summary>415 for a PATCH content type the resource does not accept.</summary>
    public static KubeApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, KubeStatus.Failure(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}",
            new JsonObject()));

    /// <summary>405 for a verb the resource does not allow.</summary>
    public static KubeApiException MethodNotAllowed() =>
        new(405, KubeStatus.Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject()));

    /// <summary>504 Timeout for a resourceVersion newer than the server has (the watch cache's "Too large resource version").</summary>
    public static KubeApiException TooLargeResourceVersion(long requested, long current) =>
        new(504, KubeStatus.Failure(504, "Timeout", $"Too large resource version: {requested}, current: {current}",
            new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                ["retryAfterSeconds"] = 1,
            }), TimeSpan.FromSeconds(1));
}
