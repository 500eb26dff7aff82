using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Sidecars.Runtime.Errors;

namespace Sidecars.Kube;

/// <summary>
/// A deliberately small Kubernetes API client: GET, POST, PUT and watch over <see cref="HttpClient"/>, JSON through
/// <see cref="JsonDocument"/> (no reflection, Native AOT clean). The sidecars and the injector's RoleBinding loop need
/// nothing more, and the full KubernetesClient costs megabytes and has no AOT watch. Every failure is a
/// <see cref="KubeApiException"/>.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

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
    public string? DefaultNamespace { get; internal init; }

    /// <summary>How long a GET, POST or PUT may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connects with <paramref name="kubeconfigPath"/>, else the files of <c>KUBECONFIG</c>, else the in-cluster
    /// service account (<c>KUBERNETES_SERVICE_HOST/PORT</c> and the mounted token and CA), else <c>~/.kube/config</c>.
    /// </summary>
    /// <param name="kubeconfigPath">An explicit kubeconfig file, or null.</param>
    /// <param name="context">A context of the kubeconfig instead of its current-context, or null.</param>
    /// <param name="environment">Reads environment variables (tests pass their own).</param>
    /// <exception cref="KubeConfigException">No usable configuration; the message says why, in one sentence.</exception>
    public static KubeApiClient Create(string? kubeconfigPath = null, string? context = null, Func<string, string?>? environment = null) =>
        KubeConnection.Create(kubeconfigPath, context, environment ?? Environment.GetEnvironmentVariable);

    /// <summary>GETs <paramref name="path"/> (for example <c>/api/v1/namespaces/ns/pods/p</c>) as a JSON document.</summary>
    /// <exception cref="KubeApiException">A non-success status, or no usable answer within <see cref="RequestTimeout"/>.</exception>
    public Task<JsonDocument> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>POSTs (creates) <paramref name="body"/> at <paramref name="path"/>; returns the stored object.</summary>
    public Task<JsonDocument> PostAsync(string path, ReadOnlyMemory<byte> body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    /// <summary>PUTs (replaces) <paramref name="body"/> at <paramref name="path"/>; returns the stored object.</summary>
    public Task<JsonDocument> PutAsync(string path, ReadOnlyMemory<byte> body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    /// <summary>One watch connection with the <see cref="ListWatchOptions"/> defaults for its timeouts.</summary>
    public IAsyncEnumerable<KubeWatchEvent> WatchAsync(string path, string? resourceVersion, CancellationToken ct)
    {
        var defaults = new ListWatchOptions();
        return WatchAsync(path, resourceVersion, defaults.WatchTimeout, defaults.WatchTimeout + defaults.IdleGrace, null, ct);
    }

    /// <summary>
    /// Watches <paramref name="path"/> (a collection, with its selectors) from <paramref name="resourceVersion"/>, bookmarks
    /// on. The server ends the stream after <paramref name="timeout"/>; when no byte arrives for
    /// <paramref name="idleTimeout"/> the connection is taken for dead and the stream ends here too. Either way the
    /// caller watches again from the last resourceVersion it saw.
    /// </summary>
    /// <exception cref="KubeApiException">Non-success status, an ERROR event (410 Gone: list again), a malformed event.</exception>
    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(
        string path, string? resourceVersion, TimeSpan timeout, TimeSpan idleTimeout, TimeProvider? time, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var url = new StringBuilder(path)
            .Append(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')
            .Append("watch=1&allowWatchBookmarks=true&timeoutSeconds=")
            .Append(Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)));
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            url.Append("&resourceVersion=").Append(Uri.EscapeDataString(resourceVersion));
        }

        var what = "watch " + path;
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time ?? TimeProvider.System);
        using var onStop = ct.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), idle);
        idle.CancelAfter(idleTimeout);
        var response = await OpenAsync(HttpMethod.Get, url.ToString(), null, what, idle.Token, ct).ConfigureAwait(false);
        using (response)
        {
            Stream stream;
            try
            {
                stream = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is OperationCanceledException or HttpRequestException or IOException)
            {
                yield break;
            }

            using var lines = new WatchLineReader(stream);
            while (true)
            {
                ReadOnlyMemory<byte>? line;
                try
                {
                    idle.CancelAfter(idleTimeout);
                    line = await lines.ReadLineAsync(idle.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is OperationCanceledException or HttpRequestException or IOException)
                {
                    // Silent past the idle timeout, or reset mid-stream: end here; the caller resumes from its last
                    // resourceVersion (and finds out on the next request whether the server is there at all).
                    yield break;
                }
                catch (KubeApiException e)
                {
                    throw new KubeApiException(0, null, $"{what}: {e.Message}", e);
                }

                if (line is not { } bytes)
                {
                    yield break;
                }

                if (!bytes.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    yield return ParseWatchLine(bytes, what);
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Parses one line of a watch stream; an ERROR event becomes a <see cref="KubeApiException"/>.</summary>
    internal static KubeWatchEvent ParseWatchLine(ReadOnlyMemory<byte> line, string what)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new KubeApiException(0, "BadWatchEvent", $"{what}: an event is {ErrorText.Describe(e)}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                throw new KubeApiException(0, "BadWatchEvent", $"{what}: an event has no type or object: {Truncate(Encoding.UTF8.GetString(line.Span))}");
            }

            var typeName = type.GetString()!;
            if (typeName == KubeWatchEvent.Error)
            {
                var (code, reason, message) = ReadStatus(obj);
                throw new KubeApiException(code ?? 500, reason, $"{what}: ERROR event {code} {reason}: {message ?? "no message"}");
            }

            return new KubeWatchEvent(typeName, obj.Clone());
        }
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body, CancellationToken ct)
    {
        var what = $"{method} {path}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var response = await OpenAsync(method, path, body, what, timeout.Token, ct).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, default, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new KubeApiException(0, null, $"{what}: no complete answer within {RequestTimeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            throw new KubeApiException(0, null, $"{what}: {ErrorText.Describe(e)}", e);
        }
    }

    /// <summary>Sends the request and checks the status; the caller owns the response.</summary>
    private async Task<HttpResponseMessage> OpenAsync(HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? body, string what, CancellationToken timeout, CancellationToken ct)
    {
        HttpResponseMessage? response = null;
        try
        {
            using var request = NewRequest(method, pathAndQuery, body);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout).ConfigureAwait(false);
            await EnsureSuccessAsync(response, what, timeout).ConfigureAwait(false);
            return response;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            response?.Dispose();
            throw new KubeApiException(0, null, $"{what}: no answer in time", e);
        }
        catch (HttpRequestException e)
        {
            response?.Dispose();
            throw new KubeApiException(0, null, $"{what}: {ErrorText.Describe(e)}", e);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? body)
    {
        if (!pathAndQuery.StartsWith('/'))
        {
            throw new ArgumentException($"API path must start with '/': {pathAndQuery}", nameof(pathAndQuery));
        }

        var request = new HttpRequestMessage(method, _base + pathAndQuery);
        if (_bearerToken() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = JsonContentType;
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

        int? code = status.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci) ? ci : null;
        var reason = status.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var message = status.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return (code, reason, message);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "...");
}
