using System.Security.Cryptography;
using System.Text;
using Injector.Core.Engine;
using Sidecars.Contract;
using k8s.Models;

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
/// The pure part of the RoleBinding loop: which bindings injected pods need, and how to treat existing ones.
/// One RoleBinding per (namespace, service account, sidecar ClusterRole), because a RoleBinding has exactly one
/// roleRef; named <c>sidecars-dev-&lt;sidecar&gt;-&lt;serviceaccount&gt;</c>.
/// </summary>
public static class RoleBindingPlanner
{
    public const string InjectedLabel = "sidecars.dev/injected";
    public const string InjectedSelector = InjectedLabel + "=true";
    public const string StatusAnnotation = "sidecars.dev/status";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "sidecars-injector";
    public const string SidecarLabel = "sidecars.dev/sidecar";
    public const string NamePrefix = "sidecars-dev-";
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

    /// <summary>The bindings one pod needs; empty when it has no status annotation or only API-free sidecars.</summary>
    public static IReadOnlyList<DesiredRoleBinding> DesiredFor(V1Pod pod, IReadOnlyDictionary<string, string> clusterRoles)
    {
        var ns = pod.Metadata?.NamespaceProperty;
        if (string.IsNullOrEmpty(ns) || pod.Metadata?.Annotations is not { } annotations ||
            !annotations.TryGetValue(StatusAnnotation, out var statusJson))
        {
            return [];
        }

        var sidecars = SidecarsOf(statusJson);
        if (sidecars is null)
        {
            return [];
        }

        var serviceAccount = string.IsNullOrEmpty(pod.Spec?.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName;
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
    public static IReadOnlyList<DesiredRoleBinding> DesiredFor(IEnumerable<V1Pod> pods, IReadOnlyDictionary<string, string> clusterRoles) =>
        pods.SelectMany(p => DesiredFor(p, clusterRoles))
            .Distinct()
            .OrderBy(d => d.Namespace, StringComparer.Ordinal)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>sidecars-dev-&lt;sidecar&gt;-&lt;sa&gt;</c>, shortened with a hash suffix past 253 characters.</summary>
    public static string BindingName(string sidecar, string serviceAccount)
    {
        var name = $"{NamePrefix}{sidecar}-{serviceAccount}";
        if (name.Length <= MaxNameLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10];
        return $"{name[..(MaxNameLength - 11)].TrimEnd('-', '.')}-{hash}";
    }

    /// <summary>The RoleBinding object for a desired binding.</summary>
    public static V1RoleBinding Build(DesiredRoleBinding desired) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = new V1ObjectMeta
        {
            Name = desired.Name,
            NamespaceProperty = desired.Namespace,
            Labels = new Dictionary<string, string>
            {
                [ManagedByLabel] = ManagedByValue,
                [SidecarLabel] = desired.Sidecar,
            },
        },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = desired.ClusterRole },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = desired.ServiceAccount, NamespaceProperty = desired.Namespace }],
    };

    public static bool IsOurs(V1RoleBinding binding) =>
        binding.Metadata?.Labels is { } labels && labels.TryGetValue(ManagedByLabel, out var v) && v == ManagedByValue;

    /// <summary>Compares an existing binding with the desired one.</summary>
    public static ExistingBindingAction Decide(V1RoleBinding existing, DesiredRoleBinding desired)
    {
        if (!IsOurs(existing))
        {
            return ExistingBindingAction.Foreign;
        }

        if (existing.RoleRef is not { Kind: "ClusterRole" } roleRef || roleRef.Name != desired.ClusterRole)
        {
            return ExistingBindingAction.RoleRefMismatch;
        }

        var subjects = existing.Subjects ?? [];
        var subjectOk = subjects.Count == 1 && subjects[0] is { Kind: "ServiceAccount" } s &&
            s.Name == desired.ServiceAccount && s.NamespaceProperty == desired.Namespace;
        var labelOk = existing.Metadata!.Labels.TryGetValue(SidecarLabel, out var sidecar) && sidecar == desired.Sidecar;
        return subjectOk && labelOk ? ExistingBindingAction.UpToDate : ExistingBindingAction.Update;
    }

    /// <summary>The update to send for <see cref="ExistingBindingAction.Update"/>: the existing object (keeping its
    /// resourceVersion and any labels/annotations others added) with our labels and subjects restored.</summary>
    public static V1RoleBinding Merge(V1RoleBinding existing, DesiredRoleBinding desired)
    {
        var built = Build(desired);
        var labels = new Dictionary<string, string>(existing.Metadata?.Labels ?? new Dictionary<string, string>());
        foreach (var (k, v) in built.Metadata.Labels)
        {
            labels[k] = v;
        }

        existing.Metadata ??= new V1ObjectMeta { Name = desired.Name, NamespaceProperty = desired.Namespace };
        existing.Metadata.Labels = labels;
        existing.Subjects = built.Subjects;
        existing.ApiVersion ??= built.ApiVersion;
        existing.Kind ??= built.Kind;
        return existing;
    }
}
