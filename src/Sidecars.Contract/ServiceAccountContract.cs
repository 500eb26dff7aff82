namespace Sidecars.Contract;

/// <summary>Where Kubernetes mounts a service account token, and the projected volume the injector adds when
/// the pod turns automount off but a sidecar still needs to call the API.</summary>
public static class ServiceAccountContract
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string TokenVolumeName = "sidecars-token";

    /// <summary>The files of the mount the sidecars read.</summary>
    public const string TokenPath = MountPath + "/token";
    public const string CaPath = MountPath + "/ca.crt";
    public const string NamespacePath = MountPath + "/namespace";

    /// <summary>The API server address the kubelet gives every container.</summary>
    public const string HostVariable = "KUBERNETES_SERVICE_HOST";
    public const string PortVariable = "KUBERNETES_SERVICE_PORT";
}
