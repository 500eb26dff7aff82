using System.Net;
using System.Security.Cryptography.X509Certificates;
using TestKit.Certificates;
using TestKit.Kube.Server;

namespace TestKit.Tests.Support;

public sealed class CertificateTests
{
    [Fact]
    public void Issued_certificates_chain_to_their_ca_only()
    {
        using var ca = TestCertificateAuthority.Create();
        using var other = TestCertificateAuthority.Create("other");
        using var server = ca.IssueServer(["web.shop.svc", "127.0.0.1"], KeyKind.Rsa2048);
        using var client = ca.IssueClient("jane", ["developers"]);

        Assert.True(ca.Issued(server.Certificate));
        Assert.False(other.Issued(server.Certificate));
        Assert.Equal("jane", client.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains("O=developers", client.Certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN PRIVATE KEY-----", server.PrivateKeyPem, StringComparison.Ordinal);
        Assert.Equal(2, server.ChainPem.Split("BEGIN CERTIFICATE").Length - 1);
    }

    [Fact]
    public async Task The_ca_only_client_trusts_its_ca_checks_the_host_name_and_records_certificates()
    {
        await using var kube = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory();
        var caFile = kube.CertificateAuthority!.WriteCertificateFile(dir.File("ca.crt"));
        var seen = new List<X509Certificate2>();

        using var trusting = TrustOnlyCaHandler.Create(caFile, seen.Add);
        Assert.Equal(HttpStatusCode.OK, (await trusting.GetAsync(new Uri(kube.Url, "/healthz"))).StatusCode);
        Assert.Single(seen);

        using var stranger = TestCertificateAuthority.Create("stranger");
        using var distrusting = TrustOnlyCaHandler.Create(stranger.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => distrusting.GetAsync(new Uri(kube.Url, "/healthz")));

        // A name the certificate does not carry, resolved to the same server, is refused.
        using var wrongName = TrustOnlyCaHandler.Create(caFile, loopbackPort: kube.Url.Port);
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongName.GetAsync(new Uri($"https://web.shop.svc:{kube.Url.Port}/healthz")));
    }
}
