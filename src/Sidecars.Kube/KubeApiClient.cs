using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Sidecars.Kube;

/// <summary>
/// A deliberately tiny Kubernetes API client: GET and watch over <see cref="HttpClient"/>, JSON through
/// <see cref="JsonDocument"/> (no reflection, Native AOT clean). The sidecars need nothing more, and the full
/// KubernetesClient costs megabytes and has no AOT watch.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly Func<string?> _bearerToken;

    /// <summary>Creates a client for <paramref name="server"/> over a caller-supplied handler (tests, custom TLS).</summary>
    public KubeApiClient(Uri server, HttpMessageHandler handler, Func<string?> bearerToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(bearerToken);
        Server = server;
        _base = server.AbsoluteUri.TrimEnd('/');
        _bearerToken = bearerToken;
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("sidecars-kube", "1.0"));
    }

    /// <summary>The API server base address.</summary>
    public Uri Server { get; }

    /// <summary>The namespace of the kubeconfig context, or of the service account in-cluster; null when unknown.</summary>
    public string? DefaultNamespace { get; private init; }

    /// <summary>Server-side watch timeout; the client reconnects after it (client-go uses 5-10 minutes).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Connects with <paramref name="kubeconfigPath"/>, else the first file of <c>KUBECONFIG</c>, else the
    /// in-cluster service account (<c>KUBERNETES_SERVICE_HOST/PORT</c> and the mounted token and CA).
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable configuration; the message says why.</exception>
    public static KubeApiClient Create(string? kubeconfigPath)
    {
        var path = kubeconfigPath;
        if (string.IsNullOrEmpty(path))
        {
            path = Environment.GetEnvironmentVariable("KUBECONFIG")?
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(File.Exists);
        }

        return string.IsNullOrEmpty(path) ? CreateInCluster() : FromContext(KubeConfigReader.Load(path));
    }

    /// <summary>GETs <paramref name="path"/> (for example <c>/api/v1/namespaces/ns/pods/p</c>) as a JSON document.</summary>
    /// <exception cref="KubeApiException">The API answered with a non-success status.</exception>
    /// <exception cref="TimeoutException">No complete answer within 30 seconds.</exception>
    /// <exception cref="HttpRequestException">The API server could not be reached.</exception>
    public async Task<JsonDocument> GetAsync(string path, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(RequestTimeout);
        try
        {
            using var request = NewRequest(path);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "GET " + path, cts.Token).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, default, cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"GET {path}: no answer within {RequestTimeout.TotalSeconds:0} s", e);
        }
    }

    /// <summary>
    /// Watches <paramref name="path"/> from <paramref name="resourceVersion"/> (bookmarks on). Ends normally when the
    /// server closes the stream (or the watch timeout passes): reconnect from the last seen resourceVersion.
    /// </summary>
    /// <exception cref="KubeApiException">Non-success status, or an ERROR event (410 Gone: list again).</exception>
    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(
        string path, string? resourceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var url = new StringBuilder(path)
            .Append(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')
            .Append("watch=1&allowWatchBookmarks=true&timeoutSeconds=")
            .Append((int)WatchTimeout.TotalSeconds);
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            url.Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion));
        }

        // Client-side guard against a silently dead connection: the server ends the watch at timeoutSeconds.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(WatchTimeout + TimeSpan.FromSeconds(30));
        var response = await OpenWatchAsync(url.ToString(), path, cts.Token, ct).ConfigureAwait(false);
        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await ReadLineAsync(reader, cts.Token, ct).ConfigureAwait(false) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    yield return ParseWatchLine(line, path);
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Parses one line of a watch stream; an ERROR event becomes a <see cref="KubeApiException"/>.</summary>
    internal static KubeWatchEvent ParseWatchLine(string line, string path)
    {
        using var doc = ParseJson(line, path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("object", out var obj))
        {
            throw new KubeApiException(500, "BadWatchEvent", $"watch {path}: event without type/object: {Truncate(line)}");
        }

        var typeName = type.GetString()!;
        if (typeName == "ERROR")
        {
            var (code, reason, message) = ReadStatus(obj);
            throw new KubeApiException(code ?? 500, reason, $"watch {path}: ERROR {code} {reason}: {message ?? Truncate(line)}");
        }

        return new KubeWatchEvent(typeName, obj.Clone());
    }

    private static JsonDocument ParseJson(string line, string path)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new KubeApiException(500, "BadWatchEvent", $"watch {path}: malformed event JSON ({e.Message}): {Truncate(line)}");
        }
    }

    private async Task<HttpResponseMessage> OpenWatchAsync(string url, string path, CancellationToken timeout, CancellationToken ct)
    {
        HttpResponseMessage? response = null;
        try
        {
            using var request = NewRequest(url);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "watch " + path, timeout).ConfigureAwait(false);
            return response;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            response?.Dispose();
            throw new TimeoutException($"watch {path}: no answer", e);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken timeout, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null; // client-side watch timeout: same as the server closing the stream
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            return null; // connection reset mid-stream: the caller reconnects from its last resourceVersion
        }
        catch (HttpRequestException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private HttpRequestMessage NewRequest(string pathAndQuery)
    {
        if (!pathAndQuery.StartsWith('/'))
        {
            throw new ArgumentException($"API path must start with '/': {pathAndQuery}", nameof(pathAndQuery));
        }

        var request = new HttpRequestMessage(HttpMethod.Get, _base + pathAndQuery);
        if (_bearerToken() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = (int)response.StatusCode;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            body = "";
        }

        string? reason = response.ReasonPhrase;
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var (_, statusReason, statusMessage) = ReadStatus(doc.RootElement);
            reason = statusReason ?? reason;
            message = statusMessage;
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's HTML page, say): report the raw text.
        }

        throw new KubeApiException(code, reason, $"{what}: HTTP {code} {reason}: {message ?? Truncate(body)}");
    }

    private static (int? Code, string? Reason, string? Message) ReadStatus(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object)
        {
            return (null, null, null);
        }

        int? code = status.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : null;
        var reason = status.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var message = status.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return (code, reason, message);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "...");

    private static KubeApiClient CreateInCluster()
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException(
                "no Kubernetes configuration: not in a cluster (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig or set KUBECONFIG");
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            host = "[" + host + "]"; // IPv6 literal
        }

        var server = new Uri($"https://{host}:{port}");
        byte[] caBytes;
        try
        {
            caBytes = File.ReadAllBytes(Path.Combine(ServiceAccountDir, "ca.crt"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Typically automountServiceAccountToken: false without the injector's projected token.
            throw new InvalidOperationException(
                $"in a cluster, but the service account files under {ServiceAccountDir} cannot be read ({e.Message}); mount a service account token or pass --kubeconfig", e);
        }

        var ca = LoadCertificates(caBytes, "service account ca.crt");
        var tokens = new FileTokenSource(Path.Combine(ServiceAccountDir, "token"), TimeSpan.FromMinutes(1));
        tokens.Current(); // fail now, with a clear message, when the token is not mounted
        var nsFile = Path.Combine(ServiceAccountDir, "namespace");
        return new KubeApiClient(server, CreateHandler(ca, insecure: false, clientCertificate: null), tokens.Current)
        {
            DefaultNamespace = File.Exists(nsFile) ? File.ReadAllText(nsFile).Trim() : null,
        };
    }

    internal static KubeApiClient FromContext(KubeConfigContext context)
    {
        X509Certificate2Collection? ca = null;
        if (context.CertificateAuthorityData is { } caData)
        {
            ca = LoadCertificates(caData, "certificate-authority-data");
        }
        else if (context.CertificateAuthorityFile is { } caFile)
        {
            ca = LoadCertificates(ReadFile(caFile, "certificate-authority"), caFile);
        }

        var certPem = context.ClientCertificateData ?? (context.ClientCertificateFile is { } cf ? ReadFile(cf, "client-certificate") : null);
        var keyPem = context.ClientKeyData ?? (context.ClientKeyFile is { } kf ? ReadFile(kf, "client-key") : null);
        X509Certificate2? clientCertificate = null;
        if (certPem is not null || keyPem is not null)
        {
            if (certPem is null || keyPem is null)
            {
                throw new InvalidOperationException("kubeconfig: client-certificate and client-key must be given together");
            }

            clientCertificate = LoadClientCertificate(certPem, keyPem);
        }

        Func<string?> token = () => null;
        if (!string.IsNullOrEmpty(context.Token))
        {
            var fixedToken = context.Token;
            token = () => fixedToken;
        }
        else if (context.TokenFile is { } tokenFile)
        {
            var source = new FileTokenSource(tokenFile, TimeSpan.FromMinutes(1));
            source.Current();
            token = source.Current;
        }

        var handler = CreateHandler(ca, context.InsecureSkipTlsVerify, clientCertificate);
        return new KubeApiClient(context.Server, handler, token) { DefaultNamespace = context.Namespace };
    }

    private static byte[] ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"kubeconfig: cannot read {what} file '{path}': {e.Message}", e);
        }
    }

    internal static X509Certificate2Collection LoadCertificates(byte[] data, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            var text = Encoding.ASCII.GetString(data);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(data));
            }
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{what}: not a valid PEM/DER certificate: {e.Message}", e);
        }

        return collection.Count > 0 ? collection : throw new InvalidOperationException($"{what}: contains no certificate");
    }

    private static X509Certificate2 LoadClientCertificate(byte[] certPem, byte[] keyPem)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certPem), Encoding.ASCII.GetString(keyPem));

            // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"kubeconfig: client certificate/key are not a valid PEM pair: {e.Message}", e);
        }
    }

    private static SocketsHttpHandler CreateHandler(X509Certificate2Collection? ca, bool insecure, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        if (insecure)
        {
            // The kubeconfig explicitly asked for insecure-skip-tls-verify (kind/dev clusters), as kubectl honours it.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (ca is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ValidateAgainst(ca, certificate, chain, errors);
        }

        return handler;
    }

    /// <summary>Trusts exactly the configured CA bundle (not the system store), still checking the host name.</summary>
    private static bool ValidateAgainst(X509Certificate2Collection ca, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
