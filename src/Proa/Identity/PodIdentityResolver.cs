namespace Proa.Identity;

/// <summary>
/// Resolves the pod name (POD_NAME, else the hostname, which Kubernetes sets to the pod name unless
/// spec.hostname overrides it) and namespace (POD_NAMESPACE, else the mounted service account's namespace file).
/// </summary>
internal static class PodIdentityResolver
{
    public const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    public static PodIdentity? Resolve(Func<string, string?> getEnv, Func<string> hostname, Func<string, string?> readFile, out string? error)
    {
        error = null;
        string name, nameSource;
        if (getEnv("POD_NAME") is { Length: > 0 } envName)
        {
            (name, nameSource) = (envName.Trim(), "POD_NAME");
        }
        else
        {
            (name, nameSource) = (hostname().Trim(), "hostname");
        }

        string ns, nsSource;
        if (getEnv("POD_NAMESPACE") is { Length: > 0 } envNs)
        {
            (ns, nsSource) = (envNs.Trim(), "POD_NAMESPACE");
        }
        else if (readFile(ServiceAccountNamespaceFile) is { } fileNs && fileNs.Trim().Length > 0)
        {
            (ns, nsSource) = (fileNs.Trim(), ServiceAccountNamespaceFile);
        }
        else
        {
            error = $"cannot tell which namespace this pod is in: set POD_NAMESPACE (fieldRef metadata.namespace) or mount a service account token ({ServiceAccountNamespaceFile})";
            return null;
        }

        if (name.Length == 0)
        {
            error = "cannot tell this pod's name: set POD_NAME (fieldRef metadata.name)";
            return null;
        }

        return new PodIdentity(ns, name, nameSource, nsSource);
    }
}
