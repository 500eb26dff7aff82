using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Injector.Core.Engine;
using Injector.Core.Yaml;

namespace Injector.Core.Configuration;

/// <summary>
/// The injector's configuration: images, pull policy, resources, securityContext and default mode. Its
/// <see cref="Revision"/> is a hash of the normalised content, so comments and formatting do not roll workloads.
/// </summary>
public sealed class InjectorConfig
{
    /// <summary>The built-in configuration used when no file is given (local runs, tests).</summary>
    public const string DefaultYaml = """
        # Placement of sidecars when a pod does not set sidecars.dev/mode: native | classic
        defaultMode: native
        # Pull policy for every injected container.
        imagePullPolicy: IfNotPresent
        # Allow pods to choose sidecar images with <sidecar>.sidecars.dev/image. Off by default: sidecars carry RBAC.
        allowImageOverride: false
        sidecars:
          appup:
            image: ghcr.io/sidecars-dev/appup:0.1.0
            resources:
              requests: { cpu: 5m, memory: 8Mi }
              limits: { memory: 32Mi }
          shawarma:
            image: ghcr.io/sidecars-dev/shawarma:0.1.0
            resources:
              requests: { cpu: 5m, memory: 12Mi }
              limits: { memory: 48Mi }
          proa:
            image: ghcr.io/sidecars-dev/proa:0.1.0
            resources:
              requests: { cpu: 5m, memory: 8Mi }
              limits: { memory: 32Mi }
        # Applied to every injected container.
        securityContext:
          runAsNonRoot: true
          runAsUser: 65532
          runAsGroup: 65532
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: { drop: [ALL] }
          seccompProfile: { type: RuntimeDefault }
        """;

    private static readonly string[] TopLevelKeys = ["defaultMode", "imagePullPolicy", "allowImageOverride", "sidecars", "securityContext"];
    private static readonly string[] SidecarKeys = ["image", "resources"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];

    private InjectorConfig(SidecarMode defaultMode, string imagePullPolicy, bool allowImageOverride,
        IReadOnlyDictionary<string, SidecarSettings> sidecars, JsonObject securityContext, string revision)
    {
        DefaultMode = defaultMode;
        ImagePullPolicy = imagePullPolicy;
        AllowImageOverride = allowImageOverride;
        Sidecars = sidecars;
        SecurityContext = securityContext;
        Revision = revision;
    }

    public static InjectorConfig Default { get; } = Parse(DefaultYaml);

    public SidecarMode DefaultMode { get; }

    public string ImagePullPolicy { get; }

    public bool AllowImageOverride { get; }

    public IReadOnlyDictionary<string, SidecarSettings> Sidecars { get; }

    public JsonObject SecurityContext { get; }

    public string Revision { get; }

    /// <summary>
    /// Parses the YAML (or JSON) config, read as kubectl reads YAML. Keys left out take the built-in defaults; unknown
    /// keys, empty values and anything the API server would refuse in an injected container are errors, so a
    /// half-written or mistyped file is refused (with an <see cref="InjectorConfigException"/> naming the key) rather
    /// than loaded. Reading is bounded by <see cref="YamlLimits.Config"/> (1 MiB, as a ConfigMap).
    /// </summary>
    public static InjectorConfig Parse(string yaml)
    {
        JsonNode? root;
        try
        {
            root = YamlJson.ParseOne(yaml, YamlLimits.Config);
        }
        catch (YamlJsonException ex)
        {
            throw new InjectorConfigException($"config is not valid YAML: {ex.Message}", ex);
        }

        var obj = root switch
        {
            null => throw new InjectorConfigException("config is empty: it needs at least one of " + string.Join(", ", TopLevelKeys)),
            JsonObject o => o,
            _ => throw new InjectorConfigException("config must be a YAML mapping with keys " + string.Join(", ", TopLevelKeys)),
        };
        ConfigValues.RejectUnknown(obj, TopLevelKeys, string.Empty);

        var mode = ConfigValues.String(obj, "defaultMode", string.Empty) switch
        {
            null or "native" => SidecarMode.Native,
            "classic" => SidecarMode.Classic,
            var other => throw new InjectorConfigException($"config defaultMode '{other}' is not valid: use native or classic"),
        };
        var pull = ConfigValues.String(obj, "imagePullPolicy", string.Empty) ?? "IfNotPresent";
        if (!PullPolicies.Contains(pull))
        {
            throw new InjectorConfigException($"config imagePullPolicy '{pull}' is not valid: use {string.Join(", ", PullPolicies)}");
        }

        var allowOverride = ConfigValues.Bool(obj, "allowImageOverride", string.Empty) ?? false;

        var sidecars = new Dictionary<string, SidecarSettings>(StringComparer.Ordinal);
        var sidecarsNode = ConfigValues.Mapping(obj, "sidecars", string.Empty, "a mapping of " + string.Join(", ", SidecarNames.All)) ?? new JsonObject();
        ConfigValues.RejectUnknown(sidecarsNode, SidecarNames.All, "sidecars");
        var defaults = ReferenceEquals(yaml, DefaultYaml) ? null : Default;
        foreach (var name in SidecarNames.All)
        {
            var path = $"sidecars.{name}";
            var section = ConfigValues.Mapping(sidecarsNode, name, "sidecars", "a mapping with image and resources") ?? new JsonObject();
            ConfigValues.RejectUnknown(section, SidecarKeys, path);
            var image = ConfigValues.String(section, "image", path) ?? defaults?.Sidecars[name].Image ?? string.Empty;
            if (string.IsNullOrWhiteSpace(image))
            {
                throw new InjectorConfigException($"config {path}.image is required");
            }

            if (ImageReference.Check(image) is { } problem)
            {
                throw new InjectorConfigException($"config {path}.image '{image}' {problem}");
            }

            var resources = ConfigValues.Mapping(section, "resources", path, "a mapping (requests, limits)")?.DeepClone().AsObject()
                ?? defaults?.Sidecars[name].Resources?.DeepClone().AsObject();
            if (resources is not null)
            {
                ResourcesValidator.Validate(resources, $"{path}.resources");
                resources = CanonicalOrder.Resources(resources);
            }

            sidecars[name] = new SidecarSettings(image, resources);
        }

        var securityContext = ConfigValues.Mapping(obj, "securityContext", string.Empty)?.DeepClone().AsObject()
            ?? defaults?.SecurityContext.DeepClone().AsObject()
            ?? new JsonObject();
        SecurityContextValidator.Validate(securityContext, "securityContext");
        securityContext = CanonicalOrder.SecurityContext(securityContext);

        var normalised = new JsonObject
        {
            ["defaultMode"] = mode.ToString(),
            ["imagePullPolicy"] = pull,
            ["allowImageOverride"] = allowOverride,
            ["sidecars"] = new JsonObject(sidecars.Select(kv => KeyValuePair.Create<string, JsonNode?>(kv.Key,
                new JsonObject { ["image"] = kv.Value.Image, ["resources"] = kv.Value.Resources?.DeepClone() }))),
            ["securityContext"] = securityContext.DeepClone(),
        };
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(normalised.ToJsonString()));
        var revision = Convert.ToHexStringLower(hash)[..12];
        return new InjectorConfig(mode, pull, allowOverride, sidecars, securityContext, revision);
    }
}
