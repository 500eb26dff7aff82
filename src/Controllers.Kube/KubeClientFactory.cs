using System.Runtime.InteropServices;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Controllers.Kube;

/// <summary>
/// Builds the client as kubectl finds its cluster: <c>--kubeconfig</c>, else <c>KUBECONFIG</c> (several files merged,
/// the first to set a value wins), else <c>~/.kube/config</c>, else the pod's service account when running in a
/// cluster; <c>--context</c> picks a context. Exec credential plugins and client certificates come with
/// KubernetesClient. A problem is one sentence (<see cref="KubeconfigException"/>), never a stack trace.
/// </summary>
public static class KubeClientFactory
{
    /// <summary>How long to wait for a failed exec plugin's stderr, which arrives after the library gives up.</summary>
    private static readonly TimeSpan ExecStderrWait = TimeSpan.FromSeconds(1);

    public static IKubernetes Create(string? kubeconfig, string? context, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // An exec credential plugin runs while the configuration is built. The library ignores its exit code, parses
        // its (empty) stdout and throws a JSON reader's stack trace as the message; the plugin's own reason is on its
        // stderr, captured here (the library redirects it only while someone listens) to be the sentence instead.
        var pluginErrors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var lineArrived = new SemaphoreSlim(0);
        void OnPluginError(object? sender, System.Diagnostics.DataReceivedEventArgs e)
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                pluginErrors.Enqueue(e.Data.Trim());
                lineArrived.Release();
            }
        }

        KubernetesClientConfiguration.ExecStdError += OnPluginError;
        try
        {
            return new Kubernetes(Configuration(kubeconfig, context, environment));
        }
        catch (KubeConfigException ex) when (ex.Message.StartsWith("external exec failed", StringComparison.Ordinal))
        {
            if (pluginErrors.IsEmpty)
            {
                lineArrived.Wait(ExecStderrWait);
            }

            throw new KubeconfigException(ExecFailure(ex.Message, [.. pluginErrors]), ex);
        }
        // KubernetesClient reports some malformed kubeconfigs (a context without a user section, ...) with a
        // NullReferenceException; they are the user's file, not our bug, and get the same one sentence.
        catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or ArgumentException or InvalidOperationException or NullReferenceException or YamlDotNet.Core.YamlException
            or System.Security.Cryptography.CryptographicException)
        {
            throw new KubeconfigException(OneLine(ex.Message), ex);
        }
        finally
        {
            KubernetesClientConfiguration.ExecStdError -= OnPluginError;
        }
    }

    /// <summary>One sentence for a failed exec credential plugin: what it said on stderr, else what it printed.</summary>
    internal static string ExecFailure(string libraryMessage, IReadOnlyList<string> stderr)
    {
        const string Plugin = "the kubeconfig's exec credential plugin";
        if (stderr.Count > 0)
        {
            return $"{Plugin} failed: {Cut(string.Join(" ", stderr.TakeLast(3)))}";
        }

        if (System.Text.RegularExpressions.Regex.Match(libraryMessage, @"api version (\S*) does not match (\S+)") is { Success: true } version)
        {
            return $"{Plugin} answered apiVersion '{version.Groups[1].Value}', but the kubeconfig asks for '{version.Groups[2].Value}'";
        }

        if (libraryMessage.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return $"{Plugin} printed nothing (an ExecCredential was expected on its stdout)";
        }

        if (libraryMessage.Contains("deserialization", StringComparison.Ordinal))
        {
            return $"{Plugin} printed something that is not an ExecCredential (JSON was expected on its stdout)";
        }

        if (libraryMessage.Contains("missing token or clientCertificateData", StringComparison.Ordinal))
        {
            return $"{Plugin} printed an ExecCredential without a token or a client certificate";
        }

        // "external exec failed due to: <why>" (it could not be started, it timed out): the first line of the why.
        var why = libraryMessage.Split(" ---> ", 2)[0].Split("   at ", 2)[0];
        return $"{Plugin} failed: {Cut(OneLine(why.Replace("external exec failed due to", "", StringComparison.Ordinal).TrimStart(':', ' ')))}";
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..297] + "...";

    private static KubernetesClientConfiguration Configuration(string? kubeconfig, string? context, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            var file = new FileInfo(kubeconfig);
            if (!file.Exists)
            {
                throw new KubeconfigException($"kubeconfig '{file.FullName}' does not exist");
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context);
        }

        if (environment("KUBECONFIG") is { Length: > 0 } paths)
        {
            var files = paths.Split(RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ';' : ':', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => new FileInfo(p.Trim('"')))
                .Where(f => f.Exists)
                .ToArray();
            if (files.Length == 0)
            {
                throw new KubeconfigException($"none of the files in KUBECONFIG ({paths}) exists");
            }

            return files.Length == 1
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(files[0], context)
                : KubernetesClientConfiguration.BuildConfigFromConfigObject(Merge(files), context);
        }

        if (File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(KubernetesClientConfiguration.KubeConfigDefaultLocation, context);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            if (!string.IsNullOrEmpty(context))
            {
                throw new KubeconfigException($"--context {context} needs a kubeconfig, and none was found (running in a cluster with its service account)");
            }

            return KubernetesClientConfiguration.InClusterConfig();
        }

        throw new KubeconfigException($"no kubeconfig found (--kubeconfig, KUBECONFIG, {KubernetesClientConfiguration.KubeConfigDefaultLocation}) and not running in a cluster");
    }

    /// <summary>
    /// kubectl's merge of the files in KUBECONFIG: the first file to name a context, cluster or user wins, and the
    /// first current-context wins. (KubernetesClient merges the same way, but only without a context override.)
    /// Relative paths in the second and later files resolve from the first file's directory.
    /// </summary>
    private static K8SConfiguration Merge(FileInfo[] files)
    {
        var merged = KubernetesClientConfiguration.LoadKubeConfig(files[0]);
        var contexts = (merged.Contexts ?? []).ToList();
        var clusters = (merged.Clusters ?? []).ToList();
        var users = (merged.Users ?? []).ToList();
        foreach (var file in files.Skip(1))
        {
            var next = KubernetesClientConfiguration.LoadKubeConfig(file);
            merged.CurrentContext ??= next.CurrentContext;
            contexts.AddRange((next.Contexts ?? []).Where(c => contexts.All(k => k.Name != c.Name)));
            clusters.AddRange((next.Clusters ?? []).Where(c => clusters.All(k => k.Name != c.Name)));
            users.AddRange((next.Users ?? []).Where(u => users.All(k => k.Name != u.Name)));
        }

        merged.Contexts = contexts;
        merged.Clusters = clusters;
        merged.Users = users;
        return merged;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
