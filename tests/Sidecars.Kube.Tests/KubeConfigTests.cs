using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sidecars.Runtime.Tests.Support;
using TestKit;
using TestKit.Certificates;

namespace Sidecars.Kube.Tests;

/// <summary>
/// Where the connection comes from and what a kubeconfig may contain. Kubeconfigs are untrusted input: every bad
/// one is a <see cref="KubeConfigException"/> with one sentence that names the file or entry, never a crash.
/// </summary>
public sealed class KubeConfigTests : IDisposable
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
            namespace: ops
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

    private readonly TempDirectory _dir = new("kubeconfig-");
    private readonly Dictionary<string, string> _env = new() { ["HOME"] = "" };

    public void Dispose() => _dir.Dispose();

    private KubeApiClient Create(string? path = null, string? context = null, string serviceAccountDir = "/nonexistent") =>
        KubeConnection.Create(path, context, name => _env.GetValueOrDefault(name), serviceAccountDir);

    private KubeConfigException Fails(string? path = null, string? context = null, string serviceAccountDir = "/nonexistent")
    {
        var e = Assert.Throws<KubeConfigException>(() => Create(path, context, serviceAccountDir));
        Sentences.AssertOneSentence(e.Message);
        return e;
    }

    [Fact]
    public void Reads_the_current_context()
    {
        var c = KubeConfigReader.Parse(Config, "/home/me/.kube");
        Assert.Equal(("kind-dev", "kind-dev", "kind-dev"), (c.ContextName, c.ClusterName, c.UserName));
        Assert.Equal(new Uri("https://127.0.0.1:38211"), c.Server);
        Assert.Equal("shop", c.Namespace);
        Assert.Equal("CA-DATA", Encoding.ASCII.GetString(c.CertificateAuthorityData!));
        Assert.Equal("CERT", Encoding.ASCII.GetString(c.ClientCertificateData!));
        Assert.Equal("KEY", Encoding.ASCII.GetString(c.ClientKeyData!));
        Assert.Null(c.Token);
        Assert.False(c.InsecureSkipTlsVerify);
    }

    [Fact]
    public void A_named_context_overrides_the_current_one()
    {
        var c = KubeConfigReader.Parse(Config, "/", contextName: "prod");
        Assert.Equal(new Uri("https://prod.example:6443"), c.Server);
        Assert.Equal(("ops", "nope"), (c.Namespace, c.Token));
        Assert.Contains("has no context named 'staging'", Assert.Throws<KubeConfigException>(() => KubeConfigReader.Parse(Config, "/", contextName: "staging")).Message);
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

    [Fact]
    public void KUBECONFIG_files_merge_first_definition_wins_and_paths_follow_their_file()
    {
        // kubectl's merge: current-context from the first file that sets one; each name from the first file defining it.
        var a = _dir.Write("a/config", """
            current-context: dev
            users: [{name: u, user: {tokenFile: token}}]
            """);
        var b = _dir.Write("b/config", """
            current-context: ignored
            contexts: [{name: dev, context: {cluster: k, user: u, namespace: team}}]
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:1", certificate-authority: ca.crt}}]
            users: [{name: u, user: {token: loses}}]
            """);
        var c = KubeConfigReader.Load([a, b], null);
        Assert.Equal(("dev", "team"), (c.ContextName, c.Namespace));
        Assert.Equal(Path.Combine(_dir.Path, "a", "token"), c.TokenFile);
        Assert.Null(c.Token);
        Assert.Equal(Path.Combine(_dir.Path, "b", "ca.crt"), c.CertificateAuthorityFile);
    }

    [Fact]
    public void The_order_is_explicit_path_then_KUBECONFIG_then_in_cluster_then_home()
    {
        var explicitFile = _dir.Write("explicit", Minimal("http://explicit:1"));
        var fromEnv = _dir.Write("env", Minimal("http://env:1"));
        var home = _dir.Subdirectory("home");
        _dir.Write("home/.kube/config", Minimal("http://home:1"));
        var sa = ServiceAccount();
        _env["HOME"] = home;
        _env["KUBECONFIG"] = $"{_dir.File("missing")}:{fromEnv}";
        _env["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        _env["KUBERNETES_SERVICE_PORT"] = "443";

        using (var c = Create(explicitFile, serviceAccountDir: sa))
        {
            Assert.Equal("explicit", c.Server.Host);
        }

        using (var c = Create(serviceAccountDir: sa))
        {
            Assert.Equal("env", c.Server.Host);
        }

        _env.Remove("KUBECONFIG");
        using (var c = Create(serviceAccountDir: sa))
        {
            Assert.Equal(new Uri("https://10.96.0.1:443"), c.Server);
            Assert.Equal("shop", c.DefaultNamespace);
        }

        _env.Remove("KUBERNETES_SERVICE_HOST");
        using (var c = Create(serviceAccountDir: sa))
        {
            Assert.Equal("home", c.Server.Host);
        }
    }

    [Fact]
    public void In_cluster_ipv6_host_is_bracketed()
    {
        _env["KUBERNETES_SERVICE_HOST"] = "fd00::1";
        _env["KUBERNETES_SERVICE_PORT"] = "443";
        using var c = Create(serviceAccountDir: ServiceAccount());
        Assert.Equal(new Uri("https://[fd00::1]:443"), c.Server);
    }

    [Fact]
    public void Nothing_configured_says_what_to_do()
    {
        // Deterministic whatever the machine running the tests has: the environment is the test's.
        var e = Fails();
        Assert.Contains("no Kubernetes configuration was found", e.Message, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KUBECONFIG_without_an_existing_file_is_named()
    {
        _env["KUBECONFIG"] = "/nope/a:/nope/b";
        Assert.Contains("KUBECONFIG is '/nope/a:/nope/b', but none of its files exists", Fails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_cluster_without_a_mounted_token_says_so()
    {
        _env["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        _env["KUBERNETES_SERVICE_PORT"] = "443";
        Assert.Contains("no service account token is mounted at /nonexistent", Fails().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clusters: []", "sets no current-context")]
    [InlineData("current-context: x\ncontexts: []", "has no context named 'x'")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]", "has no cluster named 'k' (of context 'c')")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: https://x}}]", "has no user named 'u'")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {}}]", "cluster 'k' has no server")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: ftp://x}}]", "is not an http(s) URL")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: https://x}}]\nusers: [{name: u, user: {exec: {command: aws}}}]", "exec or auth-provider credentials, which are not supported")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: https://x, certificate-authority-data: '%%%'}}]", "certificate-authority-data of cluster 'k' is not valid base64")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: https://x, certificate-authority: \"a\\0b\"}}]", "contains a NUL character")]
    [InlineData("current-context: [unclosed", "is not valid YAML (line ")]
    [InlineData("- just\n- a list", "is not a YAML mapping")]
    [InlineData("", "is not a YAML mapping")]
    public void Bad_kubeconfigs_name_the_problem(string yaml, string message)
    {
        var path = _dir.Write("config", yaml);
        var e = Fails(path);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flow")]
    [InlineData("block")]
    [InlineData("aliases")]
    public void Deeply_nested_kubeconfig_is_refused_before_it_can_overflow_the_stack(string shape)
    {
        // 100 000 levels crashed the sidecars (a recursive node builder overflowing the stack: exit 134/139).
        var yaml = shape switch
        {
            "flow" => "current-context: " + new string('[', 100_000),
            "block" => "a:\n" + string.Concat(Enumerable.Range(1, 5000).Select(i => new string(' ', i) + "- \n")),
            _ => "current-context: c\nx: &a [" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "]\ny: *a",
        };
        var path = _dir.Write("deep", yaml);
        var e = Fails(path);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Matches("nests deeper than 64 levels|is not valid YAML", e.Message);
    }

    [Fact]
    public void Huge_and_endless_files_are_refused_without_reading_them_whole()
    {
        var big = _dir.File("big");
        using (var f = File.Create(big))
        {
            f.SetLength(KubeConfigReader.MaxBytes + 1);
        }

        Assert.Contains("is larger than 16 MiB", Fails(big).Message, StringComparison.Ordinal);
        Assert.Contains("is larger than 16 MiB", Fails("/dev/zero").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_unreadable_and_directory_kubeconfigs_are_named()
    {
        Assert.Equal($"cannot read kubeconfig '{_dir.File("missing")}': the file does not exist", Fails(_dir.File("missing")).Message);
        Assert.Equal("cannot read kubeconfig '/nonexistent/kubeconfig': a directory on the path does not exist", Fails("/nonexistent/kubeconfig").Message);
        Assert.Equal($"cannot read kubeconfig '{_dir.Path}': it is a directory", Fails(_dir.Path).Message);
    }

    [Fact]
    public void Client_key_that_does_not_match_its_certificate_is_named()
    {
        using var ca = TestCertificateAuthority.Create();
        using var mine = ca.IssueClient("me");
        using var other = ca.IssueClient("other");
        var e = Fails(WithClient(mine.CertificatePem, other.PrivateKeyPem));
        Assert.Equal("the client-key of user 'u' does not belong to its client-certificate", e.Message);

        // RSA key for an ECDSA certificate.
        using var rsa = RSA.Create(2048);
        Assert.Equal("the client-key of user 'u' does not belong to its client-certificate", Fails(WithClient(mine.CertificatePem, rsa.ExportPkcs8PrivateKeyPem())).Message);
    }

    [Theory]
    [InlineData("cert", "garbage", "the client-certificate of user 'u' is not a PEM certificate")]
    [InlineData("cert", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "the client-certificate of user 'u' is not a PEM certificate")]
    [InlineData("key", "garbage", "the client-key of user 'u' is not an unencrypted PEM RSA or ECDSA private key")]
    [InlineData("key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "the client-key of user 'u' is not an unencrypted PEM RSA or ECDSA private key")]
    [InlineData("key", "encrypted", "the client-key of user 'u' is not an unencrypted PEM RSA or ECDSA private key")]
    [InlineData("key", "", "has a client certificate or key but not both")]
    public void Broken_client_credentials_are_named(string which, string pem, string message)
    {
        using var ca = TestCertificateAuthority.Create();
        using var mine = ca.IssueClient("me");
        if (pem == "encrypted")
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pem = PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", key.ExportEncryptedPkcs8PrivateKey("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));
        }

        var path = which == "cert" ? WithClient(pem, mine.PrivateKeyPem) : WithClient(mine.CertificatePem, pem);
        Assert.Contains(message, Fails(path).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage", "is not a PEM or DER certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "contains no certificate")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "contains no certificate")]
    public void Broken_certificate_authorities_are_named(string pem, string message)
    {
        var path = _dir.Write("config", $$"""
            current-context: c
            contexts: [{name: c, context: {cluster: k} }]
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:1", certificate-authority-data: "{{B64(pem)}}"} }]
            """);
        var e = Fails(path);
        Assert.StartsWith("the certificate-authority-data of cluster 'k' ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_credential_files_are_named()
    {
        var path = _dir.Write("config", """
            current-context: c
            contexts: [{name: c, context: {cluster: k, user: u}}]
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]
            users: [{name: u, user: {tokenFile: no-token}}]
            """);
        Assert.Equal($"cannot read bearer token file '{_dir.File("no-token")}': the file does not exist", Fails(path).Message);
    }

    private string WithClient(string certPem, string keyPem) => _dir.Write("config", $$"""
        current-context: c
        contexts: [{name: c, context: {cluster: k, user: u} }]
        clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"} }]
        users: [{name: u, user: {client-certificate-data: "{{B64(certPem)}}", client-key-data: "{{B64(keyPem)}}"} }]
        """);

    private static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static string Minimal(string server) => $$"""
        current-context: c
        contexts: [{name: c, context: {cluster: k} }]
        clusters: [{name: k, cluster: {server: "{{server}}"} }]
        """;

    /// <summary>A service account mount: token, CA (from a throwaway CA) and namespace.</summary>
    private string ServiceAccount()
    {
        using var ca = TestCertificateAuthority.Create();
        _dir.Write("sa/token", "sa-token\n");
        _dir.Write("sa/namespace", "shop\n");
        ca.WriteCertificateFile(_dir.File("sa/ca.crt"));
        return _dir.File("sa");
    }
}
