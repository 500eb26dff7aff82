using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Injector.Tests.Support;

/// <summary>
/// An HTTP client like kube-apiserver's: it trusts exactly one CA (the webhook configuration's caBundle), not the
/// machine's store, and checks the host name. It also records the certificate each new connection presented.
/// With <c>loopbackPort</c>, every host name resolves to that local port, so a service DNS name can be checked
/// against a server running here. (Also compiled into Charts.Tests.)
/// </summary>
internal static class TrustOnlyCaHandler
{
    public static HttpClient Create(string caFile, Action<X509Certificate2>? onCertificate = null, bool pooled = true,
        int? loopbackPort = null, TimeSpan? timeout = null)
    {
        var ca = X509CertificateLoader.LoadCertificate(System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(caFile)));
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = loopbackPort is not { } port ? null : async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
            PooledConnectionLifetime = pooled ? TimeSpan.FromMinutes(5) : TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
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
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }
}
