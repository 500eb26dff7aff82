using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sidecars.Kube;

namespace Injector.Rbac;

/// <summary>Adds the RoleBinding loop to a host.</summary>
public static class RoleBindingLoop
{
    /// <summary>
    /// Connects to the API now (so a missing configuration fails the start, not the first request) and registers
    /// the loop. The connection comes from <paramref name="kubeconfig"/>, else <c>KUBECONFIG</c>, else the in-cluster
    /// service account, else <c>~/.kube/config</c>; <paramref name="context"/> picks a kubeconfig context.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable configuration; the message is one sentence saying why.</exception>
    public static IServiceCollection AddRoleBindingLoop(this IServiceCollection services, RoleBindingReconcilerOptions options, string? kubeconfig = null, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        KubeApiClient client;
        try
        {
            client = KubeApiClient.Create(kubeconfig, context);
        }
        catch (KubeConfigException e)
        {
            throw new InvalidOperationException($"the RoleBinding loop (--sidecar-clusterroles) cannot reach the Kubernetes API: {e.Message}", e);
        }

        services.AddSingleton(client);
        services.AddSingleton<IHostedService>(provider =>
            new RoleBindingReconciler(client, options, provider.GetRequiredService<ILogger<RoleBindingReconciler>>()));
        return services;
    }
}
