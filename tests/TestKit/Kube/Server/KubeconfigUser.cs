using TestKit.Certificates;

namespace TestKit.Kube.Server;

/// <summary>How a kubeconfig written by <see cref="KubeApiServer.WriteKubeconfig"/> authenticates.</summary>
public abstract record KubeconfigUser
{
    /// <summary>A bearer token (<c>token:</c>).</summary>
    public static KubeconfigUser Token(string token = KubeApiServer.DefaultToken) => new TokenUser(token);

    /// <summary>A token read from a file (<c>tokenFile:</c>), as a projected service account token is.</summary>
    public static KubeconfigUser TokenFile(string path) => new TokenFileUser(path);

    /// <summary>A client certificate and key (<c>client-certificate-data</c>/<c>client-key-data</c>, or files).</summary>
    public static KubeconfigUser ClientCertificate(IssuedCertificate certificate) => new ClientCertificateUser(certificate);

    /// <summary>
    /// An exec credential plugin (<c>exec:</c>, client.authentication.k8s.io/v1): kubectl and the clients run
    /// <paramref name="command"/> with <paramref name="arguments"/> and read an ExecCredential from its stdout.
    /// </summary>
    public static KubeconfigUser Exec(string command, params string[] arguments) => new ExecUser(command, arguments);

    /// <summary>No credentials.</summary>
    public static KubeconfigUser Anonymous() => new AnonymousUser();

    internal sealed record TokenUser(string Value) : KubeconfigUser;

    internal sealed record TokenFileUser(string Path) : KubeconfigUser;

    internal sealed record ClientCertificateUser(IssuedCertificate Certificate) : KubeconfigUser;

    internal sealed record ExecUser(string Command, IReadOnlyList<string> Arguments) : KubeconfigUser;

    internal sealed record AnonymousUser : KubeconfigUser;
}
