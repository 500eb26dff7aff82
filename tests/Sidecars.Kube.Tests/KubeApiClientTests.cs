using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Sidecars.Kube.Tests.Support;
using TestKit;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Time;

namespace Sidecars.Kube.Tests;

public sealed class KubeApiClientTests
{
    private static readonly Uri Server = new("https://api.example:6443/");

    [Fact]
    public async Task Watch_parses_newline_delimited_events_and_ends_with_the_stream()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"type":"ADDED","object":{"kind":"EndpointSlice","metadata":{"name":"a","resourceVersion":"43"}}}

            {"type":"BOOKMARK","object":{"kind":"EndpointSlice","metadata":{"resourceVersion":"50"}}}
            {"type":"DELETED","object":{"kind":"EndpointSlice","metadata":{"name":"a","resourceVersion":"51"}}}
            """);
        using var client = new KubeApiClient(Server, handler, () => "tok");
        var events = new List<KubeWatchEvent>();
        await foreach (var e in client.WatchAsync("/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices?labelSelector=x", "42", TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1), null, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(["ADDED", "BOOKMARK", "DELETED"], events.Select(e => e.Type));
        Assert.Equal("51", events[2].Object.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        var request = Assert.Single(handler.Requests);
        Assert.Equal(
            "https://api.example:6443/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices?labelSelector=x&watch=1&allowWatchBookmarks=true&timeoutSeconds=50&resourceVersion=42",
            request.RequestUri!.ToString());
        Assert.Equal("Bearer tok", request.Headers.Authorization!.ToString());
    }

    [Fact]
    public async Task Watch_error_event_410_throws_gone_with_the_status_message()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"7"}}}
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (7)","reason":"Expired","code":410}}
            """);
        using var client = new KubeApiClient(Server, handler, () => null);
        var seen = 0;
        var e = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var _ in client.WatchAsync("/api/v1/namespaces/ns/services", "5", CancellationToken.None))
            {
                seen++;
            }
        });
        Assert.Equal(1, seen);
        Assert.Equal(410, e.StatusCode);
        Assert.True(e.IsGone);
        Assert.Equal("Expired", e.Reason);
        Assert.Contains("too old resource version: 5 (7)", e.Message, StringComparison.Ordinal);
        Assert.Null(handler.Requests[0].Headers.Authorization);
    }

    [Fact]
    public async Task Watch_http_410_is_gone_too()
    {
        using var client = new KubeApiClient(Server, new StubHandler(HttpStatusCode.Gone, """{"kind":"Status","code":410,"reason":"Gone","message":"gone"}"""), () => null);
        var e = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var _ in client.WatchAsync("/api/v1/pods", null, CancellationToken.None))
            {
            }
        });
        Assert.True(e.IsGone);
    }

    [Theory]
    [InlineData("{not json", "an event is malformed JSON")]
    [InlineData("""{"type":"ADDED"}""", "an event has no type or object")]
    [InlineData("""{"type":"ADDED","object":"x"}""", "an event has no type or object")]
    [InlineData("[1,2]", "an event has no type or object")]
    public void Malformed_watch_lines_are_errors_not_crashes(string line, string message)
    {
        var e = Assert.Throws<KubeApiException>(() => KubeApiClient.ParseWatchLine(Encoding.UTF8.GetBytes(line), "watch /p"));
        Assert.Equal(0, e.StatusCode);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_event_without_a_code_is_a_500()
    {
        var e = Assert.Throws<KubeApiException>(() => KubeApiClient.ParseWatchLine("""{"type":"ERROR","object":{}}"""u8.ToArray(), "watch /p"));
        Assert.Equal(500, e.StatusCode);
    }

    [Fact]
    public async Task Get_post_put_speak_to_the_stand_in_and_errors_keep_the_api_status()
    {
        await using var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory();
        using var client = KubeApiClient.Create(server.WriteKubeconfig(dir.File("kubeconfig"), ns: "shop"));
        Assert.Equal("shop", client.DefaultNamespace);

        var configMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"shop"},"data":{"k":"1"}}"""u8.ToArray();
        using (var created = await client.PostAsync("/api/v1/namespaces/shop/configmaps", configMap, CancellationToken.None))
        {
            Assert.False(string.IsNullOrEmpty(created.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()));
        }

        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => client.PostAsync("/api/v1/namespaces/shop/configmaps", configMap, CancellationToken.None));
        Assert.Equal((409, "AlreadyExists"), (conflict.StatusCode, conflict.Reason));
        Assert.StartsWith("POST /api/v1/namespaces/shop/configmaps: HTTP 409 AlreadyExists: ", conflict.Message, StringComparison.Ordinal);

        using (var got = await client.GetAsync("/api/v1/namespaces/shop/configmaps/a", CancellationToken.None))
        {
            var updated = JsonNode.Parse(got.RootElement.GetRawText())!.AsObject();
            updated["data"]!["k"] = "2";
            using var replaced = await client.PutAsync("/api/v1/namespaces/shop/configmaps/a", Encoding.UTF8.GetBytes(updated.ToJsonString()), CancellationToken.None);
        }

        Assert.Equal("2", server.Store.List(ResourceTypes.ConfigMap).Single().StringAt("data.k"));
        var missing = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces/shop/configmaps/nope", CancellationToken.None));
        Assert.Equal(404, missing.StatusCode);
    }

    [Fact]
    public async Task Faults_become_api_exceptions_with_a_sentence()
    {
        await using var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory();
        using var client = KubeApiClient.Create(server.WriteKubeconfig(dir.File("kubeconfig"), ns: "shop"));

        server.Faults.FailNext(KubeFault.Forbidden("system:serviceaccount:shop:default"));
        var forbidden = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces/shop/pods/p", CancellationToken.None));
        Assert.Equal((403, "Forbidden"), (forbidden.StatusCode, forbidden.Reason));
        Assert.Contains("cannot get resource \"pods\"", forbidden.Message, StringComparison.Ordinal);

        server.Faults.FailNext(KubeFault.PlainText(502, "<html>bad gateway</html>"));
        var proxy = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces/shop/pods", CancellationToken.None));
        Assert.Equal(502, proxy.StatusCode);
        Assert.Contains("<html>bad gateway</html>", proxy.Message, StringComparison.Ordinal);

        // Short only for the hang: the other answers come at once, but a loaded machine may take a second for them.
        client.RequestTimeout = TimeSpan.FromSeconds(1);
        server.Faults.FailNext(KubeFault.Hang());
        var hang = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces/shop/pods", CancellationToken.None));
        Assert.Equal(0, hang.StatusCode);
        Assert.Contains("no answer in time", hang.Message, StringComparison.Ordinal);

        client.RequestTimeout = TimeSpan.FromSeconds(30);
        server.Faults.FailNext(KubeFault.PartialBody());
        var cut = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces/shop/pods", CancellationToken.None));
        Assert.Equal(0, cut.StatusCode);

        server.Faults.FailNext(KubeFault.ResetConnection());
        var reset = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces/shop/pods", CancellationToken.None));
        Assert.Equal(0, reset.StatusCode);
    }

    [Fact]
    public async Task Unreachable_and_untrusted_servers_are_api_exceptions()
    {
        var server = await KubeApiServer.StartAsync();
        using var dir = new TempDirectory();
        var path = server.WriteKubeconfig(dir.File("kubeconfig"));

        // A CA that is not the server's: the TLS handshake fails, said in words.
        using var other = TestKit.Certificates.TestCertificateAuthority.Create("other");
        File.WriteAllText(path, File.ReadAllText(path).Replace(
            Convert.ToBase64String(Encoding.ASCII.GetBytes(server.CertificateAuthority!.CertificatePem)),
            Convert.ToBase64String(Encoding.ASCII.GetBytes(other.CertificatePem)), StringComparison.Ordinal));
        using (var client = KubeApiClient.Create(path))
        {
            var e = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/version", CancellationToken.None));
            Assert.Contains("the TLS handshake failed", e.Message, StringComparison.Ordinal);
        }

        // Nothing listening.
        var port = server.Url.Port;
        await server.DisposeAsync();
        using var gone = new KubeApiClient(new Uri($"http://127.0.0.1:{port}"), new SocketsHttpHandler(), () => null);
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => gone.GetAsync("/version", CancellationToken.None));
        Assert.Equal($"GET /version: connection refused", refused.Message);
    }

    [Fact]
    public async Task Https_with_a_client_certificate_and_a_token_file_authenticates()
    {
        await using var server = await KubeApiServer.StartAsync(new() { RequireAuthentication = true });
        using var dir = new TempDirectory();
        using var certificate = server.CertificateAuthority!.IssueClient("shawarma");
        using (var client = KubeApiClient.Create(server.WriteKubeconfig(dir.File("cert"), KubeconfigUser.ClientCertificate(certificate), credentialsAsFiles: true)))
        {
            using var doc = await client.GetAsync("/api/v1/namespaces/default/configmaps", CancellationToken.None);
        }

        var tokenFile = dir.Write("token", KubeApiServer.DefaultToken + "\n");
        using (var client = KubeApiClient.Create(server.WriteKubeconfig(dir.File("token-config"), KubeconfigUser.TokenFile(tokenFile))))
        {
            using var doc = await client.GetAsync("/api/v1/namespaces/default/configmaps", CancellationToken.None);
        }

        Assert.Equal(["shawarma", "testkit-admin"], server.Requests.All.Select(r => r.User));
    }

    [Fact]
    public void Token_file_is_reread_after_the_refresh_interval_and_the_last_good_token_kept()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("token", "one");
        var clock = FakeClock.Create();
        var source = new FileTokenSource(file, TimeSpan.FromMinutes(1), clock);
        Assert.Equal("one", source.Current());
        File.WriteAllText(file, "two");
        Assert.Equal("one", source.Current());
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("two", source.Current());
        File.Delete(file);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("two", source.Current());
    }
}
