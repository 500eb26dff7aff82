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

    public static bool AutomountDisabled(PodEditor pod) =>
        pod.Spec["automountServiceAccountToken"] is JsonValue v && v.TryGetValue<bool>(out var b) && !b;

    /// <summary>Mounts the projected token into <paramref name="container"/> when automount is off.</summary>
    public static void MountIfNeeded(PodEditor pod, JsonObject container, bool recordOnTarget)
    {
        if (!AutomountDisabled(pod))
        {
            return;
        }

        if (!pod.Status.Volumes.Contains(VolumeName))
        {
            pod.AddVolume(new JsonObject
            {
                ["name"] = VolumeName,
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
        }

        var mount = new JsonObject { ["name"] = VolumeName, ["mountPath"] = MountPath, ["readOnly"] = true };
        if (recordOnTarget)
        {
            pod.AddVolumeMount(container, mount);
        }
        else
        {
            var mounts = container["volumeMounts"] as JsonArray ?? [];
            mounts.Add((JsonNode)mount);
            container["volumeMounts"] = mounts;
        }
    }

    public static JsonObject FieldRefEnv(string name, string fieldPath) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = fieldPath } },
    };
}
