using System.Text.Json.Nodes;
using Injector.Core.Engine;

namespace Injector.Core.Plans;

/// <summary>
/// Sidecars that call the API need a token even when the pod sets <c>automountServiceAccountToken: false</c>.
/// Then a projected token volume (what the kubelet would mount) is added and mounted only where it is needed.
/// </summary>
internal static class ServiceAccountToken
{
    public const string VolumeName = ServiceAccountContract.TokenVolumeName;
    public const string MountPath = ServiceAccountContract.MountPath;

    public static ReservedVolume Reserved { get; } = new(VolumeName, MountPath, new JsonObject
    {
        ["projected"] = new JsonObject
        {
            ["defaultMode"] = 420,
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
    });

    public static bool AutomountDisabled(PodEditor pod) => JsonValues.Bool(pod.Spec["automountServiceAccountToken"]) == false;

    /// <summary>
    /// Mounts the projected token into <paramref name="container"/> when automount is off: a user container through
    /// the editor (recorded), or a sidecar being built directly. A container that already mounts something at the
    /// token path keeps it. Returns why the token cannot be mounted, or null.
    /// </summary>
    public static string? MountIfNeeded(InjectionContext context, JsonObject container, bool userContainer)
    {
        var pod = context.Pod;
        if (!AutomountDisabled(pod))
        {
            return null;
        }

        if (!pod.AddsVolume(VolumeName))
        {
            if (pod.VolumeNameInUse(VolumeName))
            {
                return $"the pod already has a volume named '{VolumeName}' that the injector did not add; rename it";
            }

            pod.AddVolume(Reserved.Create());
        }

        var mount = new JsonObject { ["name"] = VolumeName, ["mountPath"] = MountPath, ["readOnly"] = true };
        if (!userContainer)
        {
            var mounts = container["volumeMounts"] as JsonArray ?? [];
            mounts.Add((JsonNode)mount);
            container["volumeMounts"] = mounts;
            return null;
        }

        if (PodEditor.Items(container, "volumeMounts").Any(m => JsonValues.Text(m["mountPath"]) == MountPath && PodEditor.NameOf(m) != VolumeName))
        {
            return null; // the container has a token at the path already
        }

        return pod.AddVolumeMount(container, mount);
    }

    public static JsonObject FieldRefEnv(string name, string fieldPath) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = fieldPath } },
    };
}
