using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Canary.Api;

namespace Canary.Analysis;

/// <summary>
/// Runs an instant query (<c>/api/v1/query</c>): GET while the URL stays short, a POST form for long queries (as
/// Prometheus's API documents), with the optional bearer token, a timeout, and a cap on the answer's size. Every
/// failure becomes <see cref="Verdict.Error"/> with a sentence saying what happened; nothing is thrown.
/// </summary>
public sealed class PrometheusClient(HttpClient http, TimeProvider time)
{
    /// <summary>Longer query URLs are sent as a POST form (proxies commonly limit URLs to 4-8 KB).</summary>
    public const int MaxGetUrlLength = 2048;

    public const int MaxResponseBytes = 4 * 1024 * 1024;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public async Task<AnalysisResult> QueryAsync(EffectiveSpec spec, string? bearerToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var query = spec.Query ?? "";
        var baseUrl = (spec.PrometheusUrl ?? "").TrimEnd('/');
        var form = new Dictionary<string, string>
        {
            ["query"] = query,
            ["time"] = (time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
            ["timeout"] = $"{(int)Timeout.TotalSeconds}s",
        };
        var queryString = string.Join('&', form.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));
        var getUrl = $"{baseUrl}/api/v1/query?{queryString}";
        using var request = getUrl.Length <= MaxGetUrlLength
            ? new HttpRequestMessage(HttpMethod.Get, getUrl)
            : new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/api/v1/query") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(bearerToken))
        {
            if (!IsValidToken(bearerToken))
            {
                return AnalysisResult.Error("the Prometheus bearer token has characters an HTTP header cannot carry (printable ASCII only)");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await ReadCappedAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return AnalysisResult.Error($"Prometheus answered more than {MaxResponseBytes / (1024 * 1024)} MiB; narrow the query");
            }

            var (result, error) = PrometheusResponse.Parse(body);
            if (!response.IsSuccessStatusCode)
            {
                // 400 bad_data, 422 execution, 503 timeout/unavailable carry a JSON error; others (proxies) do not.
                var detail = error is not null && body.Length > 0 && body[0] == (byte)'{' ? error : Snippet(body);
                return AnalysisResult.Error($"Prometheus answered {(int)response.StatusCode} {ReasonOf(response.StatusCode)}: {detail}");
            }

            return result is null ? AnalysisResult.Error(error!) : AnalysisEvaluator.Evaluate(spec, result);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return AnalysisResult.Error($"Prometheus did not answer within {(int)Timeout.TotalSeconds}s");
        }
        catch (HttpRequestException ex)
        {
            return AnalysisResult.Error($"Prometheus at {baseUrl} could not be reached: {ex.Message}");
        }
        catch (IOException ex)
        {
            return AnalysisResult.Error($"reading Prometheus's answer failed: {ex.Message}");
        }
    }

    /// <summary>A bearer token an Authorization header can carry: printable ASCII, not empty, no space at either end.</summary>
    public static bool IsValidToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length > 0 && token[0] != ' ' && token[^1] != ' ' && token.All(c => c is >= ' ' and <= '~');
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string ReasonOf(HttpStatusCode code) => code switch
    {
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.UnprocessableEntity => "Unprocessable Entity",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        _ => code.ToString(),
    };

    private static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "(empty body)" : text;
    }
}
