using System.Net;
using Controllers.Kube;
using Injector.Core.Configuration;
using k8s;

namespace Rollout.Kube;

/// <summary>
/// Reads the injector's config the way the injector does: the chart's ConfigMap (<c>&lt;release&gt;-config</c> in the
/// injector's namespace, key <c>config.yaml</c>, the file the injector mounts) or a local file, parsed by the
/// injector's own <see cref="InjectorConfig.Parse"/>. Every problem is one sentence.
/// </summary>
public static class InjectorConfigSource
{
    public const string DefaultNamespace = "sidecars-system";
    public const string DefaultConfigMap = "injector-config";
    public const string ConfigKey = "config.yaml";

    /// <summary>Larger than any sane config, smaller than what could hurt (a ConfigMap holds at most 1 MiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    public static InjectorConfig FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new InjectorConfigException($"config file '{info.FullName}' does not exist");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new InjectorConfigException($"config file '{info.FullName}' is {info.Length} bytes, over the {MaxFileBytes} a ConfigMap can hold");
            }

            text = File.ReadAllText(info.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InjectorConfigException($"cannot read config file '{path}': {ex.Message}", ex);
        }

        return Parse(text, $"config file '{path}'");
    }

    public static async Task<InjectorConfig> FromConfigMapAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        k8s.Models.V1ConfigMap configMap;
        try
        {
            configMap = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (KubeErrors.StatusOf(ex) == HttpStatusCode.NotFound)
        {
            throw new InjectorConfigException($"ConfigMap {ns}/{name} not found: point --injector-namespace/--injector-config at the injector's ConfigMap, or give --config FILE", ex);
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            throw new InjectorConfigException($"cannot read ConfigMap {ns}/{name}: {KubeErrors.Describe(ex)}", ex);
        }

        return FromConfigMap(configMap);
    }

    public static InjectorConfig FromConfigMap(k8s.Models.V1ConfigMap configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        var where = $"ConfigMap {configMap.Metadata?.NamespaceProperty}/{configMap.Metadata?.Name}";
        if (configMap.Data?.TryGetValue(ConfigKey, out var text) != true || text is null)
        {
            throw new InjectorConfigException($"{where} has no key {ConfigKey}");
        }

        return Parse(text, where);
    }

    private static InjectorConfig Parse(string text, string where)
    {
        try
        {
            return InjectorConfig.Parse(text);
        }
        catch (InjectorConfigException ex)
        {
            throw new InjectorConfigException($"{where}: {ex.Message}", ex);
        }
    }
}
