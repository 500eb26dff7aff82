namespace Sidecars.Kube;

/// <summary>
/// The connection settings of a kubeconfig's context. Relative file paths are already resolved against the
/// directory of the file that defined them (kubectl's rule); <c>*-data</c> values are already base64-decoded.
/// </summary>
internal sealed record KubeConfigContext(
    string ContextName,
    string ClusterName,
    string? UserName,
    Uri Server,
    string? Namespace,
    string? CertificateAuthorityFile,
    byte[]? CertificateAuthorityData,
    bool InsecureSkipTlsVerify,
    string? Token,
    string? TokenFile,
    string? ClientCertificateFile,
    byte[]? ClientCertificateData,
    string? ClientKeyFile,
    byte[]? ClientKeyData);
