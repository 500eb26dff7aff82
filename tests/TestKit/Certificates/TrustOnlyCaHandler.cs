using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace TestKit.Certificates;

/// <summary>
/// An HTTP client like kube-apiserver's webhook client: it trusts exactly one CA (a caBundle), not the machine's
/// store, and checks the host name. It can record the certificate each new connection presented, present a client
/// certificate, and, with <c>loopbackPort</c>, resolve every host name to that local port so a service DNS name
/// can be checked against a server running here.
/// </summary>
public static class TrustOnlyCaHandler
{
    /// <summary>A client trusting only the PEM CA in <paramref name="caFile"/>.</summary>
    public static HttpClient Create(string caFile, Action<X509Certificate2>? onCertificate = null, bool pooled = true,
        int? loopbackPort = null, TimeSpan? timeout = null)
    {
        var ca = X509CertificateLoader.LoadCertificate(System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(caFile)));
        return Create(ca, onCertificate, pooled, loopbackPort, timeout);
    }

    /// <summary>A client trusting only <paramref name="ca"/>.</summary>
    public static HttpClient Create(X509Certificate2 ca, Action<X509Certificate2>? onCertificate = null, bool pooled = true,
        int? loopbackPort = null, TimeSpan? timeout = null, X509Certificate2? clientCertificate = null) =>
        new(CreateHandler(ca, onCertificate, pooled, loopbackPort, clientCertificate)) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>The handler behind <see cref="Create(X509Certificate2, Action{X509Certificate2}?, bool, int?, TimeSpan?, X509Certificate2?)"/>.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 ca, Action<X509Certificate2>? onCertificate = null, bool pooled = true,
        int? loopbackPort = null, X509Certificate2? clientCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        return new SocketsHttpHandler
        {
            ConnectCallback = loopbackPort is not { } port ? null : async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
            PooledConnectionLifetime = pooled ? TimeSpan.FromMinutes(5) : TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    var leaf = new X509Certificate2(certificate);
                    var ok = chain.Build(leaf);
                    if (ok)
                    {
                        onCertificate?.Invoke(leaf);
                    }

                    return ok;
                },
            },
        };
    }
}
