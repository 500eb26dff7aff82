using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Sidecars.Kube;

namespace Shawarma.Tests.Kube;

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
        await foreach (var e in client.WatchAsync("/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices?labelSelector=x", "42", CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(["ADDED", "BOOKMARK", "DELETED"], events.Select(e => e.Type));
        Assert.Equal("51", events[2].Object.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        var request = Assert.Single(handler.Requests);
        Assert.Equal(
            "https://api.example:6443/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices?labelSelector=x&watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=42",
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
        Assert.Contains("/api/v1/namespaces/ns/services?watch=1", handler.Requests[0].RequestUri!.ToString(), StringComparison.Ordinal);
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

    [Fact]
    public void Malformed_watch_lines_are_errors_not_crashes()
    {
        Assert.Equal(500, Assert.Throws<KubeApiException>(() => KubeApiClient.ParseWatchLine("{not json", "/p")).StatusCode);
        Assert.Contains("without type/object", Assert.Throws<KubeApiException>(() => KubeApiClient.ParseWatchLine("""{"type":"ADDED"}""", "/p")).Message, StringComparison.Ordinal);
        Assert.Equal(500, Assert.Throws<KubeApiException>(() => KubeApiClient.ParseWatchLine("""{"type":"ERROR","object":{}}""", "/p")).StatusCode);
    }

    [Fact]
    public async Task Get_returns_the_document_and_throws_with_the_api_status_message()
    {
        using (var ok = new KubeApiClient(Server, new StubHandler(HttpStatusCode.OK, """{"kind":"Pod","metadata":{"name":"p"}}"""), () => "t"))
        {
            using var doc = await ok.GetAsync("/api/v1/namespaces/ns/pods/p", CancellationToken.None);
            Assert.Equal("Pod", doc.RootElement.GetProperty("kind").GetString());
        }

        using var forbidden = new KubeApiClient(Server, new StubHandler(HttpStatusCode.Forbidden,
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"p\" is forbidden: User \"system:serviceaccount:ns:default\" cannot get resource \"pods\"","reason":"Forbidden","code":403}"""), () => "t");
        var e = await Assert.ThrowsAsync<KubeApiException>(() => forbidden.GetAsync("/api/v1/namespaces/ns/pods/p", CancellationToken.None));
        Assert.Equal(403, e.StatusCode);
        Assert.Equal("Forbidden", e.Reason);
        Assert.Contains("cannot get resource \\\"pods\\\"".Replace("\\", "", StringComparison.Ordinal), e.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/v1/namespaces/ns/pods/p", e.Message, StringComparison.Ordinal);

        using var proxy = new KubeApiClient(Server, new StubHandler(HttpStatusCode.BadGateway, "<html>bad gateway</html>"), () => "t");
        var e2 = await Assert.ThrowsAsync<KubeApiException>(() => proxy.GetAsync("/api", CancellationToken.None));
        Assert.Equal(502, e2.StatusCode);
        Assert.Contains("<html>bad gateway</html>", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_trusts_the_kubeconfig_ca_and_presents_the_client_certificate()
    {
        using var serverCert = TestCertificates.Create("fake-apiserver", server: true);
        using var clientCert = TestCertificates.Create("system:admin", server: false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCert,
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        await using var app = builder.Build();
        app.Run(async context =>
        {
            var cert = await context.Connection.GetClientCertificateAsync();
            await context.Response.WriteAsJsonAsync(new { subject = cert?.Subject, auth = context.Request.Headers.Authorization.ToString() });
        });
        await app.StartAsync();
        var url = new Uri(app.Urls.First());

        var dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "ca.crt"), TestCertificates.CertPem(serverCert));
            File.WriteAllText(Path.Combine(dir, "token"), "file-token\n");
            var b64 = (string s) => Convert.ToBase64String(Encoding.ASCII.GetBytes(s));
            string Config(string cluster, string user) => $$$"""
                current-context: c
                contexts: [{name: c, context: {cluster: k, user: u}}]
                clusters: [{name: k, cluster: {server: "https://127.0.0.1:{{{url.Port}}}", {{{cluster}}}}}]
                users: [{name: u, user: { {{{user}}} }}]
                """;

            // CA from a relative file, token from a file, client certificate from data.
            var path = Path.Combine(dir, "config");
            File.WriteAllText(path, Config("certificate-authority: ca.crt",
                $"tokenFile: token, client-certificate-data: {b64(TestCertificates.CertPem(clientCert))}, client-key-data: {b64(TestCertificates.KeyPem(clientCert))}"));
            using (var client = KubeApiClient.Create(path))
            {
                using var doc = await client.GetAsync("/version", CancellationToken.None);
                Assert.Equal("CN=system:admin", doc.RootElement.GetProperty("subject").GetString());
                Assert.Equal("Bearer file-token", doc.RootElement.GetProperty("auth").GetString());
            }

            // A CA that is not the server's: refused.
            using var otherCa = TestCertificates.Create("other-ca", server: true);
            File.WriteAllText(path, Config($"certificate-authority-data: {b64(TestCertificates.CertPem(otherCa))}", "token: t"));
            using (var client = KubeApiClient.Create(path))
            {
                await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/version", CancellationToken.None));
            }

            // insecure-skip-tls-verify: accepted.
            File.WriteAllText(path, Config("insecure-skip-tls-verify: true", "token: t"));
            using (var client = KubeApiClient.Create(path))
            {
                using var doc = await client.GetAsync("/version", CancellationToken.None);
                Assert.Equal("Bearer t", doc.RootElement.GetProperty("auth").GetString());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Token_file_is_reread_after_the_refresh_interval()
    {
        var file = Path.GetTempFileName();
        try
        {
            var time = new ManualTime();
            File.WriteAllText(file, "one");
            var source = new FileTokenSource(file, TimeSpan.FromMinutes(1), time);
            Assert.Equal("one", source.Current());
            File.WriteAllText(file, "two");
            Assert.Equal("one", source.Current());
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("two", source.Current());
            File.Delete(file);
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("two", source.Current()); // keeps the last good token
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Outside_a_cluster_without_kubeconfig_the_error_says_what_to_do()
    {
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null || Environment.GetEnvironmentVariable("KUBECONFIG") is not null)
        {
            return; // running inside a pod or with a kubeconfig: not this scenario
        }

        var e = Assert.Throws<InvalidOperationException>(() => KubeApiClient.Create(null));
        Assert.Contains("--kubeconfig", e.Message, StringComparison.Ordinal);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
