using System.Net.Http.Headers;
using Sidecars.Runtime.Errors;
using Sidecars.Runtime.Logging;
using Shawarma.State;

namespace Shawarma.Notifying;

/// <summary>POSTs the state JSON to the app with a per-request timeout; reports success, never throws.</summary>
internal sealed class HttpStateSender : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly SidecarLog _log;

    public HttpStateSender(Uri url, SidecarLog log, TimeSpan timeout)
    {
        _url = url;
        _log = log;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1), // the app may restart; do not pin a dead connection
            UseCookies = false,
        })
        {
            Timeout = timeout,
        };
    }

    public async Task<bool> SendAsync(DeploymentState state, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(state.JsonUtf8);
            content.Headers.ContentType = Json;
            using var response = await _http.PostAsync(_url, content, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _log.Info($"notified {_url}: {state.Json}");
                return true;
            }

            _log.Warn($"notify: POST {_url} {state.Json} answered HTTP {(int)response.StatusCode}; will retry");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _log.Warn($"notify: POST {_url} {state.Json} timed out after {_http.Timeout.TotalSeconds:0} s; will retry");
        }
        catch (HttpRequestException e)
        {
            _log.Warn($"notify: POST {_url} {state.Json} failed: {ErrorText.Describe(e)}; will retry");
        }

        return false;
    }

    public void Dispose() => _http.Dispose();
}
