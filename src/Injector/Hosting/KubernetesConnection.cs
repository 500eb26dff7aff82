using k8s;

namespace Injector.Hosting;

/// <summary>
/// The API client of the RoleBinding loop, found the way controller-runtime finds one: <c>--kubeconfig</c> (or
/// <c>INJECTOR_KUBECONFIG</c>, or <c>KUBECONFIG</c>), else in-cluster when running in a pod, else
/// <c>~/.kube/config</c>; <c>--context</c> picks a context of the kubeconfig. Built at start-up so a missing or
/// broken kubeconfig stops serve with one clear line instead of failing later on a background thread.
/// </summary>
internal static class KubernetesConnection
{
    /// <exception cref="StartupException">No usable kubeconfig or in-cluster configuration; the message says what to do.</exception>
    public static IKubernetes Create(string? kubeconfig, string? context)
    {
        string? file = kubeconfig;
        try
        {
            if (file is null && context is null && KubernetesClientConfiguration.IsInCluster())
            {
                return new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
            }

            file ??= KubernetesClientConfiguration.KubeConfigDefaultLocation;
            if (!File.Exists(file))
            {
                throw new StartupException(kubeconfig is null
                    ? $"--sidecar-clusterroles needs the Kubernetes API, but this is not a pod (KUBERNETES_SERVICE_HOST is not set) and there is no kubeconfig at {file}: pass --kubeconfig FILE (or set KUBECONFIG), or run without --sidecar-clusterroles"
                    : $"kubeconfig '{file}' does not exist");
            }

            return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context));
        }
        catch (StartupException)
        {
            throw;
        }
        catch (Exception ex)
        {
            var where = file is null ? "the in-cluster configuration" : $"kubeconfig '{file}'" + (context is null ? "" : $" (context '{context}')");
            throw new StartupException($"cannot use {where} for --sidecar-clusterroles: {Diagnostics.Log.OneLine(ex.Message)}", ex);
        }
    }
}
