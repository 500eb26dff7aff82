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

    /// <summary>Parses the YAML config. Keys left out take the built-in defaults; unknown keys are errors.</summary>
    public static InjectorConfig Parse(string yaml)
    {
        JsonNode? root;
        try
        {
            root = YamlJson.ParseOne(yaml);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InjectorConfigException($"config is not valid YAML: {ex.Message}", ex);
        }

        var obj = root switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw new InjectorConfigException("config must be a YAML mapping with keys " + string.Join(", ", TopLevelKeys)),
        };
        RejectUnknown(obj, TopLevelKeys, "config");

        var mode = ReadString(obj, "defaultMode", "native") switch
        {
            "native" => SidecarMode.Native,
            "classic" => SidecarMode.Classic,
            var other => throw new InjectorConfigException($"config defaultMode '{other}' is not valid: use native or classic"),
        };
        var pull = ReadString(obj, "imagePullPolicy", "IfNotPresent");
        if (!PullPolicies.Contains(pull))
        {
            throw new InjectorConfigException($"config imagePullPolicy '{pull}' is not valid: use {string.Join(", ", PullPolicies)}");
        }

        var allowOverride = obj["allowImageOverride"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw new InjectorConfigException("config allowImageOverride must be true or false"),
        };

        var sidecars = new Dictionary<string, SidecarSettings>(StringComparer.Ordinal);
        var sidecarsNode = obj["sidecars"] as JsonObject ?? (obj["sidecars"] is null ? new JsonObject() : throw new InjectorConfigException("config sidecars must be a mapping"));
        RejectUnknown(sidecarsNode, SidecarNames.All, "config sidecars");
        var defaults = ReferenceEquals(yaml, DefaultYaml) ? null : Default;
        foreach (var name in SidecarNames.All)
        {
            var node = sidecarsNode[name];
            if (node is not null and not JsonObject)
            {
                throw new InjectorConfigException($"config sidecars.{name} must be a mapping with image and resources");
            }

            var section = node as JsonObject ?? new JsonObject();
            RejectUnknown(section, SidecarKeys, $"config sidecars.{name}");
            var image = ReadString(section, "image", defaults?.Sidecars[name].Image ?? string.Empty);
            if (string.IsNullOrWhiteSpace(image))
            {
                throw new InjectorConfigException($"config sidecars.{name}.image is required");
            }

            var resources = section["resources"] switch
            {
                null => defaults?.Sidecars[name].Resources?.DeepClone().AsObject(),
                JsonObject r => r.DeepClone().AsObject(),
                _ => throw new InjectorConfigException($"config sidecars.{name}.resources must be a mapping (requests, limits)"),
            };
            sidecars[name] = new SidecarSettings(image, resources);
        }

        var securityContext = obj["securityContext"] switch
        {
            null => defaults?.SecurityContext.DeepClone().AsObject() ?? new JsonObject(),
            JsonObject sc => sc.DeepClone().AsObject(),
            _ => throw new InjectorConfigException("config securityContext must be a mapping"),
        };

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

    private static string ReadString(JsonObject obj, string key, string fallback) => obj[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw new InjectorConfigException($"config {key} must be a string, got {other.ToJsonString()}"),
    };

    private static void RejectUnknown(JsonObject obj, IReadOnlyCollection<string> known, string where)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                throw new InjectorConfigException($"{where} has unknown key '{key}': valid keys are {string.Join(", ", known)}");
            }
        }
    }
}
