using Sidecars.Runtime.Errors;

namespace Sidecars.Kube;

/// <summary>No usable connection to the API: the kubeconfig or the in-cluster files are missing or wrong. The message
/// is one sentence that says which file and what to do.</summary>
public sealed class KubeConfigException : SidecarException
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
