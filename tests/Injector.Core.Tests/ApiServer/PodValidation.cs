using System.Text.Json.Nodes;

namespace Injector.Core.Tests.ApiServer;

/// <summary>
/// The subset of ValidatePodCreate (pkg/apis/core/validation/validation.go) that an injector can break: unique
/// container names across containers, init and ephemeral containers; unique volume names; every volumeMount names
/// a volume and mount paths are unique per container; restartPolicy only on init containers and only Always
/// (native sidecars); and validateWindows's list of securityContext fields that "cannot be set for a windows pod".
/// </summary>
public static class PodValidation
{
    private static readonly string[] WindowsForbiddenContainerFields =
        ["appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities", "readOnlyRootFilesystem", "privileged", "allowPrivilegeEscalation", "procMount", "runAsUser", "runAsGroup"];

    private static readonly string[] WindowsForbiddenPodFields =
        ["appArmorProfile", "seLinuxOptions", "seccompProfile", "fsGroup", "fsGroupChangePolicy", "sysctls", "runAsUser", "runAsGroup", "supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy"];

    public static IReadOnlyList<string> Validate(JsonObject pod)
    {
        var errors = new List<string>();
        var spec = pod["spec"] as JsonObject ?? new JsonObject();
        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in PodDefaults.Items(spec, "volumes"))
        {
            var name = PodDefaults.Text(volume["name"]);
            if (string.IsNullOrEmpty(name) || !volumes.Add(name))
            {
                errors.Add($"spec.volumes: Duplicate value or empty name: '{name}'");
            }
        }

        if (!PodDefaults.Items(spec, "containers").Any())
        {
            errors.Add("spec.containers: Required value");
        }

        var windows = PodDefaults.Text(spec["os"]?["name"]) == "windows";
        foreach (var key in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in PodDefaults.Items(spec, key))
            {
                var name = PodDefaults.Text(container["name"]);
                if (string.IsNullOrEmpty(name) || !containerNames.Add(name))
                {
                    errors.Add($"spec.{key}[{name}].name: Duplicate value or required");
                }

                var paths = new HashSet<string>(StringComparer.Ordinal);
                foreach (var mount in PodDefaults.Items(container, "volumeMounts"))
                {
                    var volume = PodDefaults.Text(mount["name"]);
                    if (volume is null || !volumes.Contains(volume))
                    {
                        errors.Add($"spec.{key}[{name}].volumeMounts[{volume}].name: Not found");
                    }

                    var path = PodDefaults.Text(mount["mountPath"]);
                    if (string.IsNullOrEmpty(path) || !paths.Add(path))
                    {
                        errors.Add($"spec.{key}[{name}].volumeMounts[{volume}].mountPath: Invalid value: must be unique");
                    }
                }

                var restart = PodDefaults.Text(container["restartPolicy"]);
                if (restart is not null && (key != "initContainers" || restart != "Always"))
                {
                    errors.Add($"spec.{key}[{name}].restartPolicy: Forbidden");
                }

                if (windows && container["securityContext"] is JsonObject sc)
                {
                    foreach (var field in WindowsForbiddenContainerFields.Where(sc.ContainsKey))
                    {
                        errors.Add($"spec.{key}[{name}].securityContext.{field}: Forbidden: cannot be set for a windows pod");
                    }
                }
            }
        }

        if (windows && spec["securityContext"] is JsonObject podSc)
        {
            foreach (var field in WindowsForbiddenPodFields.Where(podSc.ContainsKey))
            {
                errors.Add($"spec.securityContext.{field}: Forbidden: cannot be set for a windows pod");
            }
        }

        return errors;
    }
}
