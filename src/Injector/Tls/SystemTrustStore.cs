using System.Runtime.InteropServices;
using Injector.Cli;

namespace Injector.Tls;

/// <summary>
/// The webhook trusts no public CA: it serves its own certificate, and its one client connection (the RoleBinding
/// loop's, in the cluster) trusts the cluster's CA alone. Yet .NET reads the whole system store (/etc/ssl/certs, some
/// 140 certificates) the first time it builds a chain, which <c>SslStreamCertificateContext.Create</c> does for the
/// serving certificate: measured on 2 slow cores, start to ready 175-216 ms with it and 83-93 ms without, and ~1 MiB
/// less resident. So the serve command points OpenSSL's store variables at nothing before any TLS, unless the operator
/// set either of them, or the RoleBinding loop runs outside a cluster (a kubeconfig's API server may rely on a public CA).
/// </summary>
internal static partial class SystemTrustStore
{
    public const string FileVariable = "SSL_CERT_FILE";
    public const string DirectoryVariable = "SSL_CERT_DIR";

    /// <summary>Neither a regular file nor a directory, so .NET reads no certificate and, with the variable set, does not fall back to /etc/ssl/certs.</summary>
    public const string Nothing = "/dev/null";

    public static bool IsNeeded(ServeOptions options, Func<string, string?> environment) =>
        environment(FileVariable) is not null
        || environment(DirectoryVariable) is not null
        || (Rbac.RoleBindingReconcilerOptions.ParseClusterRoles(options.SidecarClusterRoles).Count > 0
            && (options.Kubeconfig is not null || string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"))));

    /// <summary>Call before anything builds a certificate chain (the store is read once per process, then cached).</summary>
    public static void SkipUnlessNeeded(ServeOptions options)
    {
        if (!OperatingSystem.IsLinux() || IsNeeded(options, Environment.GetEnvironmentVariable))
        {
            return;
        }

        try
        {
            // The native environment: OpenSSL's getenv does not see Environment.SetEnvironmentVariable.
            _ = SetEnv(FileVariable, Nothing, overwrite: 0);
            _ = SetEnv(DirectoryVariable, Nothing, overwrite: 0);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another C library without setenv: the store is read as before.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
