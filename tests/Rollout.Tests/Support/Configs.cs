using Injector.Core.Configuration;

namespace Rollout.Tests.Support;

/// <summary>Injector configs for drift tests: the built-in one and variants that change one thing.</summary>
public static class Configs
{
    public static string Yaml => InjectorConfig.DefaultYaml;

    public static InjectorConfig Old { get; } = InjectorConfig.Parse(Yaml);

    public static string AppUpImage(string tag) => Yaml.Replace("ghcr.io/sidecars-dev/appup:0.1.0", "ghcr.io/sidecars-dev/appup:" + tag, StringComparison.Ordinal);

    public static string ProaImage(string tag) => Yaml.Replace("ghcr.io/sidecars-dev/proa:0.1.0", "ghcr.io/sidecars-dev/proa:" + tag, StringComparison.Ordinal);

    public static string ShawarmaMemoryLimit(string limit) => Yaml.Replace("limits: { memory: 48Mi }", "limits: { memory: " + limit + " }", StringComparison.Ordinal);

    /// <summary>A change that alters no sidecar's containers: pods cannot ask for other images either way.</summary>
    public static string AllowImageOverride => Yaml.Replace("allowImageOverride: false", "allowImageOverride: true", StringComparison.Ordinal);

    public static InjectorConfig Parse(string yaml) => InjectorConfig.Parse(yaml);
}
