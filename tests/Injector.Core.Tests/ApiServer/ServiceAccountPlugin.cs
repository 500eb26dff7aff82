using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// plugin/pkg/admission/serviceaccount/admission.go with bound tokens (the default since 1.22): defaults
/// <c>serviceAccountName</c>; unless automount is off (the pod's field wins, then the ServiceAccount's), reuses the
/// first volume named <c>kube-api-access-*</c> or generates one, mounts it read-only at
/// /var/run/secrets/kubernetes.io/serviceaccount into every init container (native sidecars included) and every
/// container that has no mount at that path yet, and adds the projected volume when a container needed it.
/// Mirror pods are left alone.
/// </summary>
public sealed class ServiceAccountPlugin : IInTreePlugin
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string VolumePrefix = "kube-api-access-";

    private readonly string _generatedName;
    private readonly bool? _serviceAccountAutomount;

    /// <param name="generatedSuffix">What names.SimpleNameGenerator would pick (random there, fixed here).</param>
    /// <param name="serviceAccountAutomount">The ServiceAccount's own automountServiceAccountToken.</param>
    public ServiceAccountPlugin(string generatedSuffix = "h7k2q", bool? serviceAccountAutomount = null)
    {
        _generatedName = VolumePrefix + generatedSuffix;
        _serviceAccountAutomount = serviceAccountAutomount;
    }

    public void Admit(JsonObject pod, string ns)
    {
        if (pod["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] is not null)
        {
            return;
        }

        var spec = PodDefaults.Obj(pod, "spec");
        if (string.IsNullOrEmpty(PodDefaults.Text(spec["serviceAccountName"])))
        {
            spec["serviceAccountName"] = "default";
        }

        var automount = spec["automountServiceAccountToken"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : _serviceAccountAutomount ?? true;
        if (!automount)
        {
            return;
        }

        string? tokenVolume = null;
        foreach (var volume in PodDefaults.Items(spec, "volumes"))
        {
            if (PodDefaults.Text(volume["name"]) is { } name && name.StartsWith(VolumePrefix, StringComparison.Ordinal))
            {
                tokenVolume = name;
                break;
            }
        }

        var hasTokenVolume = tokenVolume is not null;
        tokenVolume ??= _generatedName;
        var needsTokenVolume = false;
        foreach (var key in new[] { "initContainers", "containers" })
        {
            foreach (var container in PodDefaults.Items(spec, key))
            {
                if (PodDefaults.Items(container, "volumeMounts").Any(m => PodDefaults.Text(m["mountPath"]) == MountPath))
                {
                    continue;
                }

                if (container["volumeMounts"] is not JsonArray mounts)
                {
                    mounts = [];
                    container["volumeMounts"] = mounts;
                }

                mounts.Add(new JsonObject { ["name"] = tokenVolume, ["readOnly"] = true, ["mountPath"] = MountPath });
                needsTokenVolume = true;
            }
        }

        if (!hasTokenVolume && needsTokenVolume)
        {
            if (spec["volumes"] is not JsonArray volumes)
            {
                volumes = [];
                spec["volumes"] = volumes;
            }

            volumes.Add(TokenVolume(tokenVolume));
        }
    }

    /// <summary>TokenVolumeSource() in admission.go.</summary>
    public static JsonObject TokenVolume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = "kube-root-ca.crt",
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "namespace",
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                        }),
                    },
                }),
        },
    };
}
