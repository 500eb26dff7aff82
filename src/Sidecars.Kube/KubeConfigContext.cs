namespace Sidecars.Kube;

/// <summary>
/// The connection settings of a kubeconfig's current context. Relative file paths are already resolved against
/// the kubeconfig's directory (kubectl's rule); <c>*-data</c> values are already base64-decoded.
/// </summary>
internal sealed record KubeConfigContext(
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
