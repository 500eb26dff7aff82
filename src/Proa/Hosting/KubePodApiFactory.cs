using Proa.Identity;
using Proa.Kube;
using Sidecars.Kube;

namespace Proa.Hosting;

internal sealed class KubePodApiFactory : IPodApiFactory
{
    public IPodApi Create(string? kubeconfig, PodIdentity pod) => new KubePodApi(KubeApiClient.Create(kubeconfig), pod);
}
