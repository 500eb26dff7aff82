using k8s;

namespace Injector.Hosting;

/// <summary>
/// The API client of the RoleBinding loop, found as kubectl and Sidecars.Kube find one: <c>--kubeconfig</c> (or
/// <c>INJECTOR_KUBECONFIG</c>), else <c>KUBECONFIG</c> (its first existing file), else in-cluster when running in a
/// pod, else <c>~/.kube/config</c>; <c>--context</c> picks a context. Built at start-up so a missing or broken
/// kubeconfig stops serve with one clear line instead of failing later on a background thread.
/// </summary>
internal static class KubernetesConnection
{
    /// <exception cref="StartupException">No usable kubeconfig or in-cluster configuration; the message says what to do.</exception>
    public static IKubernetes Create(string? kubeconfig, string? context, Func<string, string?> env)
    {
        var where = "the in-cluster configuration";
        try
        {
            if (kubeconfig is not null)
            {
                where = $"kubeconfig '{kubeconfig}'";
                return File.Exists(kubeconfig)
                    ? FromFiles([kubeconfig], context)
                    : throw new StartupException($"--sidecar-clusterroles: kubeconfig '{kubeconfig}' does not exist");
            }

            if (env("KUBECONFIG") is { Length: > 0 } list)
            {
                where = $"KUBECONFIG '{list}'";
                var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToArray();
                return files.Length > 0
                    ? FromFiles(files, context)
                    : throw new StartupException($"--sidecar-clusterroles: KUBECONFIG is '{list}', but none of its files exists");
            }

            if (KubernetesClientConfiguration.IsInCluster())
            {
                return new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
            }

            var home = Path.Combine(env("HOME") ?? "~", ".kube", "config");
            where = $"kubeconfig '{home}'";
            return File.Exists(home)
                ? FromFiles([home], context)
                : throw new StartupException($"--sidecar-clusterroles needs the Kubernetes API, but this is not a pod (KUBERNETES_SERVICE_HOST is unset), KUBECONFIG is unset and there is no ~/.kube/config ({home}): pass --kubeconfig FILE, or run without --sidecar-clusterroles");
        }
        catch (StartupException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new StartupException($"--sidecar-clusterroles cannot use {where}{(context is null ? "" : $" (context '{context}')")}: {Diagnostics.Log.OneLine(ex.Message)}", ex);
        }
    }

    // KubernetesClient has no public merge of several kubeconfigs: the first existing file of a KUBECONFIG list is used.
    private static Kubernetes FromFiles(string[] files, string? context) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(files[0], context));
}
