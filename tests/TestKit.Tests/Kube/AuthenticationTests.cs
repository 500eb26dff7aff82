using System.Net;
using k8s;
using k8s.Autorest;
using TestKit.Kube.Server;

namespace TestKit.Tests.Kube;

/// <summary>HTTPS with the kit's CA, token and client-certificate authentication, and 401 without credentials.</summary>
public sealed class AuthenticationTests
{
    [Fact]
    public async Task A_bearer_token_from_the_kubeconfig_authenticates()
    {
        await using var kube = await StandIn.StartAsync(new() { RequireAuthentication = true });

        await kube.Client.CoreV1.ListNamespacedPodAsync("shop");

        Assert.Equal("testkit-admin", kube.Server.Requests.All.Single().User);
        Assert.Equal("https", kube.Server.Url.Scheme);
    }

    [Fact]
    public async Task A_client_certificate_from_the_servers_ca_authenticates_as_its_common_name()
    {
        await using var server = await KubeApiServer.StartAsync(new() { RequireAuthentication = true });
        using var certificate = server.CertificateAuthority!.IssueClient("jane", ["developers"]);
        using var dir = new TempDirectory();
        foreach (var asFiles in new[] { false, true })
        {
            var path = server.WriteKubeconfig(dir.File($"kubeconfig-{asFiles}"), KubeconfigUser.ClientCertificate(certificate), credentialsAsFiles: asFiles);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
            await client.CoreV1.ListNamespacedPodAsync("shop");
        }

        Assert.All(server.Requests.All, r => Assert.Equal("jane", r.User));
    }

    [Fact]
    public async Task An_exec_credential_plugin_authenticates_with_the_token_it_prints()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        await using var server = await KubeApiServer.StartAsync(new() { RequireAuthentication = true, Tokens = new Dictionary<string, string> { ["from-plugin"] = "plugin-user" } });
        using var dir = new TempDirectory();
        var plugin = dir.Write("plugin.sh", "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"'\"$1\"'\"}}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = server.WriteKubeconfig(dir.File("kubeconfig"), KubeconfigUser.Exec(plugin, "from-plugin"));

        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        await client.CoreV1.ListNamespacedPodAsync("shop");

        Assert.Equal("plugin-user", server.Requests.All.Single().User);
    }

    [Fact]
    public async Task Without_credentials_the_server_answers_401_unauthorized()
    {
        await using var server = await KubeApiServer.StartAsync(new() { RequireAuthentication = true });
        using var anonymous = server.CreateHttpClient(token: null);
        using var wrongToken = server.CreateHttpClient(token: "guess");

        foreach (var client in new[] { anonymous, wrongToken })
        {
            using var response = await client.GetAsync("/api/v1/namespaces/shop/pods");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
                await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_authorizer_denies_with_403_for_the_user()
    {
        await using var kube = await StandIn.StartAsync(new() { RequireAuthentication = true, Authorize = r => r.Verb != "delete" });

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => kube.Client.CoreV1.DeleteNamespacedPodAsync("p", "shop"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Equal("pods \"p\" is forbidden: User \"testkit-admin\" cannot delete resource \"pods\" in API group \"\" in the namespace \"shop\"",
            (string?)System.Text.Json.Nodes.JsonNode.Parse(error.Response.Content)!["message"]);
    }

    [Fact]
    public async Task Plain_http_serves_too()
    {
        await using var kube = await StandIn.StartAsync(new() { Https = false });

        await kube.Client.CoreV1.ListNamespacedPodAsync("shop");

        Assert.Equal("http", kube.Server.Url.Scheme);
        Assert.Null(kube.Server.CertificateAuthority);
    }
}
