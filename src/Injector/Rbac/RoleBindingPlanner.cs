using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Injector.Core.Engine;
using Sidecars.Contract;

namespace Injector.Rbac;

/// <summary>One RoleBinding that should exist: binds <see cref="ClusterRole"/> to a service account in a namespace.</summary>
public sealed record DesiredRoleBinding(string Namespace, string Name, string ServiceAccount, string Sidecar, string ClusterRole);

/// <summary>What to do with a RoleBinding that already exists under the desired name.</summary>
public enum ExistingBindingAction
{
    /// <summary>Ours and identical: nothing to do.</summary>
    UpToDate,

    /// <summary>Ours but subjects or labels drifted: replace it with the desired one.</summary>
    Update,

    /// <summary>Not created by the injector (no managed-by label): never touched.</summary>
    Foreign,

    /// <summary>Ours but bound to another ClusterRole; roleRef is immutable, so it is left for a human to delete.</summary>
    RoleRefMismatch,
}

/// <summary>
/// The pure part of the RoleBinding loop: which bindings injected pods need, and how to treat existing ones, over
/// the API's JSON (no client model types, so the loop stays small and AOT-ready).
/// One RoleBinding per (namespace, service account, sidecar ClusterRole), because a RoleBinding has exactly one
/// roleRef; named <c>sidecars-dev-&lt;sidecar&gt;-&lt;serviceaccount&gt;</c>.
/// </summary>
public static class RoleBindingPlanner
{
    public const string RbacApiGroup = "rbac.authorization.k8s.io";
    private const int MaxNameLength = 253;

    /// <summary>
    /// Sidecars recorded in an injector status annotation: the <c>sidecars</c> list, plus every injected container or
    /// init container whose name is a sidecar name or starts with <c>name-</c> (e.g. <c>proa-init</c>).
    /// Null when the annotation is not a readable status.
    /// </summary>
    public static IReadOnlySet<string>? SidecarsOf(string? statusJson)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
        {
            return null;
        }

        var status = InjectionStatus.TryParse(statusJson, out _);
        if (status is null)
        {
            return null;
        }

        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in status.Sidecars)
        {
            found.Add(s);
        }

        foreach (var container in status.Containers.Concat(status.InitContainers))
        {
            foreach (var sidecar in SidecarNames.All)
            {
                if (container == sidecar || container.StartsWith(sidecar + "-", StringComparison.Ordinal))
                {
                    found.Add(sidecar);
                }
            }
        }

        return found;
    }

    /// <summary>The status annotation of a pod, or null.</summary>
    public static string? StatusOf(JsonElement pod) =>
        Child(Child(pod, "metadata"), "annotations") is { } annotations && Child(annotations, AnnotationKeys.Status) is { ValueKind: JsonValueKind.String } status
            ? status.GetString()
            : null;

    /// <summary>The bindings one pod needs; empty when it has no readable status annotation or only API-free sidecars.</summary>
    public static IReadOnlyList<DesiredRoleBinding> DesiredFor(JsonElement pod, IReadOnlyDictionary<string, string> clusterRoles)
    {
        var ns = String(Child(pod, "metadata"), "namespace");
        if (string.IsNullOrEmpty(ns) || SidecarsOf(StatusOf(pod)) is not { } sidecars)
        {
            return [];
        }

        var serviceAccount = String(Child(pod, "spec"), "serviceAccountName") is { Length: > 0 } sa ? sa : RoleBindingContract.DefaultServiceAccount;
        var result = new List<DesiredRoleBinding>();
        foreach (var sidecar in sidecars)
        {
            if (clusterRoles.TryGetValue(sidecar, out var role))
            {
                result.Add(new DesiredRoleBinding(ns, BindingName(sidecar, serviceAccount), serviceAccount, sidecar, role));
            }
        }

        return result;
    }

    /// <summary>Every distinct binding a set of pods needs, in a stable order.</summary>
    public static IReadOnlyList<DesiredRoleBinding> DesiredFor(IEnumerable<JsonElement> pods, IReadOnlyDictionary<string, string> clusterRoles) =>
        pods.SelectMany(p => DesiredFor(p, clusterRoles))
            .Distinct()
            .OrderBy(d => d.Namespace, StringComparer.Ordinal)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>sidecars-dev-&lt;sidecar&gt;-&lt;sa&gt;</c>, shortened with a hash suffix past 253 characters.</summary>
    public static string BindingName(string sidecar, string serviceAccount)
    {
        var name = $"{RoleBindingContract.NamePrefix}{sidecar}-{serviceAccount}";
        if (name.Length <= MaxNameLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10];
        return $"{name[..(MaxNameLength - 11)].TrimEnd('-', '.')}-{hash}";
    }

    /// <summary>The RoleBinding object for a desired binding.</summary>
    public static JsonObject Build(DesiredRoleBinding desired) => new()
    {
        ["apiVersion"] = RbacApiGroup + "/v1",
        ["kind"] = "RoleBinding",
        ["metadata"] = new JsonObject
        {
            ["name"] = desired.Name,
            ["namespace"] = desired.Namespace,
            ["labels"] = new JsonObject
            {
                [RoleBindingContract.ManagedByLabel] = RoleBindingContract.ManagedByValue,
                [RoleBindingContract.SidecarLabel] = desired.Sidecar,
            },
        },
        ["roleRef"] = new JsonObject { ["apiGroup"] = RbacApiGroup, ["kind"] = "ClusterRole", ["name"] = desired.ClusterRole },
        ["subjects"] = new JsonArray(Subject(desired)),
    };

    public static bool IsOurs(JsonElement binding) =>
        String(Child(Child(binding, "metadata"), "labels"), RoleBindingContract.ManagedByLabel) == RoleBindingContract.ManagedByValue;

    /// <summary>Compares an existing binding with the desired one.</summary>
    public static ExistingBindingAction Decide(JsonElement existing, DesiredRoleBinding desired)
    {
        if (!IsOurs(existing))
        {
            return ExistingBindingAction.Foreign;
        }

        var roleRef = Child(existing, "roleRef");
        if (String(roleRef, "kind") != "ClusterRole" || String(roleRef, "name") != desired.ClusterRole)
        {
            return ExistingBindingAction.RoleRefMismatch;
        }

        var subjects = Child(existing, "subjects") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToList() : [];
        var subjectOk = subjects.Count == 1 && String(subjects[0], "kind") == "ServiceAccount"
            && String(subjects[0], "name") == desired.ServiceAccount && String(subjects[0], "namespace") == desired.Namespace;
        var labelOk = String(Child(Child(existing, "metadata"), "labels"), RoleBindingContract.SidecarLabel) == desired.Sidecar;
        return subjectOk && labelOk ? ExistingBindingAction.UpToDate : ExistingBindingAction.Update;
    }

    /// <summary>
    /// The update to send for <see cref="ExistingBindingAction.Update"/>: the existing object (keeping its
    /// resourceVersion, any other fields, and labels and annotations others added) with our labels and subjects restored.
    /// </summary>
    public static JsonObject Merge(JsonElement existing, DesiredRoleBinding desired)
    {
        var merged = JsonNode.Parse(existing.GetRawText()) as JsonObject ?? [];
        if (merged["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject { ["name"] = desired.Name, ["namespace"] = desired.Namespace };
            merged["metadata"] = metadata;
        }

        if (metadata["labels"] is not JsonObject labels)
        {
            labels = [];
            metadata["labels"] = labels;
        }

        labels[RoleBindingContract.ManagedByLabel] = RoleBindingContract.ManagedByValue;
        labels[RoleBindingContract.SidecarLabel] = desired.Sidecar;
        merged["subjects"] = new JsonArray(Subject(desired));
        merged["apiVersion"] ??= RbacApiGroup + "/v1";
        merged["kind"] ??= "RoleBinding";
        return merged;
    }

    private static JsonObject Subject(DesiredRoleBinding desired) =>
        new() { ["kind"] = "ServiceAccount", ["name"] = desired.ServiceAccount, ["namespace"] = desired.Namespace };

    private static JsonElement? Child(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static string? String(JsonElement? element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
