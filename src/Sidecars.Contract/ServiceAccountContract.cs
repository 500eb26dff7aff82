namespace Sidecars.Contract;

/// <summary>Where Kubernetes mounts a service account token, and the projected volume the injector adds when
/// the pod turns automount off but a sidecar still needs to call the API.</summary>
public static class ServiceAccountContract
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string TokenVolumeName = "sidecars-token";
}
