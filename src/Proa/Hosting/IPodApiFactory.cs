using Proa.Identity;
using Proa.Kube;

namespace Proa.Hosting;

/// <summary>Creates the API access for a pod; throws <see cref="InvalidOperationException"/> with a clear message when it cannot.</summary>
internal interface IPodApiFactory
{
    IPodApi Create(string? kubeconfig, PodIdentity pod);
}
