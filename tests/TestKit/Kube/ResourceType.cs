using System.Text.Json.Nodes;

namespace TestKit.Kube;

/// <summary>
/// One kind of object the stand-in serves: where it lives in the URL space, how it is scoped, which subresources and
/// generation rule it has, and the hooks that default and validate it (the registry strategy of the real server).
/// </summary>
public sealed record ResourceType
{
    public ResourceType(string group, string version, string kind, string plural, bool namespaced)
    {
        Group = group;
        Version = version;
        Kind = kind;
        Plural = plural;
        Namespaced = namespaced;
    }

    /// <summary>API group; empty for the core group (<c>/api/v1</c>).</summary>
    public string Group { get; }

    public string Version { get; }

    public string Kind { get; }

    /// <summary>The resource name in URLs (<c>deployments</c>).</summary>
    public string Plural { get; }

    public bool Namespaced { get; }

    /// <summary>Singular name for discovery (lower-case kind by default).</summary>
    public string Singular { get; init; } = "";

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Has a <c>/status</c> subresource: main writes keep the stored status, status writes change only status.</summary>
    public bool StatusSubresource { get; init; }

    public GenerationPolicy Generation { get; init; }

    /// <summary>A built-in type (typed in the real server): list items carry no kind/apiVersion, strategic merge patch works.</summary>
    public bool BuiltIn { get; init; } = true;

    /// <summary>Field selector paths beyond metadata.name and metadata.namespace (e.g. <c>spec.nodeName</c> for pods).</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>Fills defaults the real server's defaulting would (pods' restartPolicy, Deployments' strategy...).</summary>
    public Action<JsonObject>? Defaulter { get; init; }

    /// <summary>Validates a new or updated object; returns field errors (an empty list when valid). Old is null on create.</summary>
    public Func<JsonObject, JsonObject?, IReadOnlyList<FieldError>>? Validator { get; init; }

    /// <summary>Where this resource's objects are stored; set for a second API view of the same objects (events.k8s.io Events).</summary>
    public StorageView? View { get; init; }

    /// <summary><c>v1</c> or <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string ListKind => Kind + "List";

    /// <summary>The group-qualified resource as the server's messages spell it: <c>pods</c>, <c>deployments.apps</c>.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>The group-qualified kind of validation messages: <c>Pod</c>, <c>Deployment.apps</c>.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    /// <summary>The URL prefix of this group/version: <c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string PathPrefix => Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";

    /// <summary>The collection URL, namespaced when <paramref name="ns"/> is given.</summary>
    public string CollectionPath(string? ns = null) =>
        Namespaced && !string.IsNullOrEmpty(ns) ? $"{PathPrefix}/namespaces/{ns}/{Plural}" : $"{PathPrefix}/{Plural}";

    /// <summary>An object's URL.</summary>
    public string ObjectPath(string? ns, string name) => CollectionPath(ns) + "/" + name;

    /// <summary>A custom resource: no strategic merge patch, list items keep kind/apiVersion, generation outside metadata/status.</summary>
    public static ResourceType Custom(string group, string version, string kind, string plural, bool namespaced = true, bool statusSubresource = true) =>
        new(group, version, kind, plural, namespaced)
        {
            BuiltIn = false,
            StatusSubresource = statusSubresource,
            Generation = GenerationPolicy.AllButMetadataAndStatus,
        };

    public override string ToString() => $"{GroupResource} ({ApiVersion}, {Kind})";
}

/// <summary>
/// A resource served from another resource's storage, converting on the way in and out (events.k8s.io/v1 Events are
/// core v1 Events in storage, as in the real server).
/// </summary>
public sealed record StorageView(ResourceType Storage, Func<JsonObject, JsonObject> FromStorage, Func<JsonObject, JsonObject> ToStorage);

/// <summary>One field validation error, as in a 422 Invalid Status's details.causes.</summary>
public sealed record FieldError(string Field, string Reason, string Message)
{
    /// <summary><c>FieldValueRequired</c>: "Required value".</summary>
    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : "Required value: " + detail);

    /// <summary><c>FieldValueInvalid</c>: "Invalid value: ...".</summary>
    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {value?.ToJsonString() ?? "null"}: {detail}");

    /// <summary><c>FieldValueForbidden</c>: "Forbidden: ...".</summary>
    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", "Forbidden: " + detail);
}
