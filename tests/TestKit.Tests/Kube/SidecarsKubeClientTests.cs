using TestKit.Kube;
using TestKit.Kube.Server;
using SidecarsKube = Sidecars.Kube;

namespace TestKit.Tests.Kube;

/// <summary>The sidecars' own small client reads the kit's kubeconfig and talks to the stand-in (token and client certificate).</summary>
public sealed class SidecarsKubeClientTests
{
    [Fact]
    public async Task Gets_and_watches_with_a_token_and_with_a_client_certificate()
    {
        await using var server = await KubeApiServer.StartAsync(new() { RequireAuthentication = true });
        server.Store.Create(Objects.ConfigMap("shop", "a"));
        using var dir = new TempDirectory();
        using var certificate = server.CertificateAuthority!.IssueClient("shawarma");
        foreach (var user in new[] { KubeconfigUser.Token(), KubeconfigUser.ClientCertificate(certificate) })
        {
            using var client = SidecarsKube.KubeApiClient.Create(server.WriteKubeconfig(dir.File("kubeconfig"), user, ns: "shop"));
            Assert.Equal("shop", client.DefaultNamespace);
            using var doc = await client.GetAsync("/api/v1/namespaces/shop/configmaps/a", CancellationToken.None);
            Assert.Equal("a", doc.RootElement.GetProperty("metadata").GetProperty("name").GetString());

            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var e in client.WatchAsync("/api/v1/namespaces/shop/configmaps", null, cancel.Token))
            {
                Assert.Equal("ADDED", e.Type);
                break;
            }
        }

        Assert.Equal(["testkit-admin", "shawarma"], server.Requests.All.Select(r => r.User).Distinct());
    }
}
