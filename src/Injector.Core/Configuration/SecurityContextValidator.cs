using System.Text.Json.Nodes;

namespace Injector.Core.Configuration;

/// <summary>
/// The config's container securityContext, checked field by field as kube-apiserver decodes and validates it
/// (pkg/apis/core/validation ValidateSecurityContext): types, user and group IDs in 0..2147483647, seccomp and
/// AppArmor profile types with a localhostProfile exactly when the type is Localhost, no privileged container with
/// allowPrivilegeEscalation false. Also refused: what only some pods could run (procMount Unmasked needs
/// hostUsers: false, windowsOptions only suits Windows pods) and runAsNonRoot with runAsUser 0, which the kubelet
/// refuses to start.
/// </summary>
internal static class SecurityContextValidator
{
    private const long MaxId = int.MaxValue;

    private static readonly string[] Keys =
    [
        "allowPrivilegeEscalation", "appArmorProfile", "capabilities", "privileged", "procMount", "readOnlyRootFilesystem",
        "runAsGroup", "runAsNonRoot", "runAsUser", "seLinuxOptions", "seccompProfile", "windowsOptions",
    ];

    private static readonly string[] CapabilityKeys = ["add", "drop"];
    private static readonly string[] ProfileKeys = ["type", "localhostProfile"];
    private static readonly string[] ProfileTypes = ["RuntimeDefault", "Unconfined", "Localhost"];
    private static readonly string[] SeLinuxKeys = ["user", "role", "type", "level"];

    public static void Validate(JsonObject sc, string path)
    {
        ConfigValues.RejectUnknown(sc, Keys, path);
        var allowPrivilegeEscalation = ConfigValues.Bool(sc, "allowPrivilegeEscalation", path);
        var privileged = ConfigValues.Bool(sc, "privileged", path);
        ConfigValues.Bool(sc, "readOnlyRootFilesystem", path);
        var runAsNonRoot = ConfigValues.Bool(sc, "runAsNonRoot", path);
        var runAsUser = ConfigValues.Integer(sc, "runAsUser", path, 0, MaxId);
        ConfigValues.Integer(sc, "runAsGroup", path, 0, MaxId);

        if (ConfigValues.String(sc, "procMount", path) is { } procMount && procMount != "Default")
        {
            throw ConfigValues.Invalid(path, "procMount", $"'{procMount}' is not supported: use Default (Unmasked needs the pod to set hostUsers: false)");
        }

        if (sc.ContainsKey("windowsOptions"))
        {
            throw ConfigValues.Invalid(path, "windowsOptions", "is not supported: it applies only to Windows pods");
        }

        var added = new List<string>();
        if (ConfigValues.Mapping(sc, "capabilities", path) is { } capabilities)
        {
            var at = ConfigValues.Name(path, "capabilities");
            ConfigValues.RejectUnknown(capabilities, CapabilityKeys, at);
            added = ConfigValues.StringList(capabilities, "add", at) ?? added;
            ConfigValues.StringList(capabilities, "drop", at);
        }

        ValidateProfile(sc, "seccompProfile", path);
        ValidateProfile(sc, "appArmorProfile", path);
        if (ConfigValues.Mapping(sc, "seLinuxOptions", path) is { } seLinux)
        {
            var at = ConfigValues.Name(path, "seLinuxOptions");
            ConfigValues.RejectUnknown(seLinux, SeLinuxKeys, at);
            foreach (var key in SeLinuxKeys)
            {
                ConfigValues.String(seLinux, key, at);
            }
        }

        if (allowPrivilegeEscalation == false && privileged == true)
        {
            throw new InjectorConfigException($"config {path}: cannot set allowPrivilegeEscalation to false and privileged to true");
        }

        if (allowPrivilegeEscalation == false && added.Contains("CAP_SYS_ADMIN"))
        {
            throw new InjectorConfigException($"config {path}: cannot set allowPrivilegeEscalation to false and capabilities.add CAP_SYS_ADMIN");
        }

        if (runAsNonRoot == true && runAsUser == 0)
        {
            throw new InjectorConfigException($"config {path}: runAsNonRoot is true but runAsUser is 0 (root); the kubelet would refuse to start the sidecars");
        }
    }

    private static void ValidateProfile(JsonObject sc, string key, string path)
    {
        if (ConfigValues.Mapping(sc, key, path) is not { } profile)
        {
            return;
        }

        var at = ConfigValues.Name(path, key);
        ConfigValues.RejectUnknown(profile, ProfileKeys, at);
        var type = ConfigValues.String(profile, "type", at) ?? throw ConfigValues.Invalid(at, "type", $"is required: use {string.Join(", ", ProfileTypes)}");
        if (!ProfileTypes.Contains(type))
        {
            throw ConfigValues.Invalid(at, "type", $"'{type}' is not valid: use {string.Join(", ", ProfileTypes)}");
        }

        var localhostProfile = ConfigValues.String(profile, "localhostProfile", at);
        if (type == "Localhost")
        {
            if (string.IsNullOrEmpty(localhostProfile))
            {
                throw ConfigValues.Invalid(at, "localhostProfile", "is required when type is Localhost");
            }

            if (localhostProfile.StartsWith('/') || localhostProfile.Split('/').Contains(".."))
            {
                throw ConfigValues.Invalid(at, "localhostProfile", $"'{localhostProfile}' must be a relative path without '..'");
            }
        }
        else if (localhostProfile is not null)
        {
            throw ConfigValues.Invalid(at, "localhostProfile", "can only be set when type is Localhost");
        }
    }
}
