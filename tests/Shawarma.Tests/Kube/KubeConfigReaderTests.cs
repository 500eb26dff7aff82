using System.Text;
using Sidecars.Kube;

namespace Shawarma.Tests.Kube;

public sealed class KubeConfigReaderTests
{
    private const string Config = """
        apiVersion: v1
        kind: Config
        preferences: {}
        current-context: kind-dev
        clusters:
        - name: prod
          cluster:
            server: https://prod.example:6443
        - name: kind-dev
          cluster:
            server: https://127.0.0.1:38211
            certificate-authority-data: Q0EtREFUQQ==
        contexts:
        - name: prod
          context:
            cluster: prod
            user: prod-admin
        - name: kind-dev
          context:
            cluster: kind-dev
            user: kind-dev
            namespace: shop
        users:
        - name: prod-admin
          user:
            token: nope
        - name: kind-dev
          user:
            client-certificate-data: Q0VSVA==
            client-key-data: S0VZ
        """;

    [Fact]
    public void Reads_the_current_context()
    {
        var c = KubeConfigReader.Parse(Config, "/home/me/.kube");
        Assert.Equal(new Uri("https://127.0.0.1:38211"), c.Server);
        Assert.Equal("shop", c.Namespace);
        Assert.Equal("CA-DATA", Encoding.ASCII.GetString(c.CertificateAuthorityData!));
        Assert.Equal("CERT", Encoding.ASCII.GetString(c.ClientCertificateData!));
        Assert.Equal("KEY", Encoding.ASCII.GetString(c.ClientKeyData!));
        Assert.Null(c.Token);
        Assert.False(c.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Resolves_relative_files_against_the_kubeconfig_directory()
    {
        var c = KubeConfigReader.Parse("""
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "http://localhost:8080", certificate-authority: certs/ca.crt, insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {tokenFile: /run/token, client-certificate: c.pem, client-key: ../k.pem}}]
            """, "/etc/kube");
        Assert.Equal("/etc/kube/certs/ca.crt", c.CertificateAuthorityFile);
        Assert.Equal("/run/token", c.TokenFile);
        Assert.Equal("/etc/kube/c.pem", c.ClientCertificateFile);
        Assert.Equal("/etc/k.pem", c.ClientKeyFile);
        Assert.True(c.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Json_kubeconfig_is_yaml_too()
    {
        var c = KubeConfigReader.Parse("""
            {"current-context":"c","contexts":[{"name":"c","context":{"cluster":"k","user":"u"}}],
             "clusters":[{"name":"k","cluster":{"server":"https://api:6443"}}],"users":[{"name":"u","user":{"token":"abc"}}]}
            """, "/");
        Assert.Equal("abc", c.Token);
    }

    [Theory]
    [InlineData("clusters: []", "no current-context")]
    [InlineData("current-context: x\ncontexts: []", "current-context 'x' is not among its contexts")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]", "cluster 'k' (of context 'c') is not defined")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {}}]", "cluster 'k' has no server")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: ftp://x}}]", "is not an http(s) URL")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: https://x}}]\nusers: [{name: u, user: {exec: {command: aws}}}]", "exec/auth-provider credentials, which are not supported")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: https://x, certificate-authority-data: '%%%'}}]", "not valid base64")]
    [InlineData("current-context: [unclosed", "invalid YAML")]
    public void Errors_name_the_problem(string yaml, string message)
    {
        var e = Assert.Throws<InvalidOperationException>(() => KubeConfigReader.Parse(yaml, "/"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KubeApiClient.Create("/nonexistent/kubeconfig"));
        Assert.Contains("cannot read kubeconfig '/nonexistent/kubeconfig'", e.Message, StringComparison.Ordinal);
    }
}
