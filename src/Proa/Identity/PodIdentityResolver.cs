using Sidecars.Contract;

namespace Proa.Identity;

/// <summary>
/// Resolves the pod name (POD_NAME, else the hostname, which Kubernetes sets to the pod name unless
/// spec.hostname overrides it) and namespace (POD_NAMESPACE, else the mounted service account's namespace file).
/// </summary>
internal static class PodIdentityResolver
{
    public const string ServiceAccountNamespaceFile = ServiceAccountContract.NamespacePath;

    public static PodIdentity? Resolve(Func<string, string?> getEnv, Func<string> hostname, Func<string, string?> readFile, out string? error)
    {
        error = null;
        string name, nameSource;
        if (getEnv(ProaContract.PodNameVariable) is { Length: > 0 } envName)
        {
            (name, nameSource) = (envName.Trim(), ProaContract.PodNameVariable);
        }
        else
        {
            (name, nameSource) = (hostname().Trim(), "hostname");
        }

        string ns, nsSource;
        if (getEnv(ProaContract.PodNamespaceVariable) is { Length: > 0 } envNs)
        {
            (ns, nsSource) = (envNs.Trim(), ProaContract.PodNamespaceVariable);
        }
        else if (readFile(ServiceAccountNamespaceFile) is { } fileNs && fileNs.Trim().Length > 0)
        {
            (ns, nsSource) = (fileNs.Trim(), ServiceAccountNamespaceFile);
        }
        else
        {
            error = $"cannot tell which namespace this pod is in: set {ProaContract.PodNamespaceVariable} (fieldRef metadata.namespace) or mount a service account token ({ServiceAccountNamespaceFile})";
            return null;
        }

        if (name.Length == 0)
        {
            error = $"cannot tell this pod's name: set {ProaContract.PodNameVariable} (fieldRef metadata.name)";
            return null;
        }

        return new PodIdentity(ns, name, nameSource, nsSource);
    }
}
