using Sidecars.Runtime.Errors;
using System.Diagnostics;
using System.Globalization;

namespace Proa.Shutdown;

/// <summary>
/// Calls every shutdown URL in parallel, each bounded by <see cref="PerCallTimeout"/>. Failures are logged and never
/// change proa's exit code: the wrapped command's result is what the pod reports.
/// </summary>
internal static class ShutdownCaller
{
    public static readonly TimeSpan PerCallTimeout = TimeSpan.FromSeconds(5);

    public static async Task CallAllAsync(IReadOnlyList<Uri> gets, IReadOnlyList<Uri> posts, TimeSpan perCallTimeout)
    {
        if (gets.Count + posts.Count == 0)
        {
            return;
        }

        using var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = perCallTimeout };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var calls = new List<Task>();
        calls.AddRange(gets.Select(url => CallAsync(client, HttpMethod.Get, url, perCallTimeout)));
        calls.AddRange(posts.Select(url => CallAsync(client, HttpMethod.Post, url, perCallTimeout)));
        await Task.WhenAll(calls);
    }

    private static async Task CallAsync(HttpClient client, HttpMethod method, Uri url, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var request = new HttpRequestMessage(method, url);
            if (method == HttpMethod.Post)
            {
                request.Content = new ByteArrayContent([]);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var code = (int)response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                Log.Info(string.Create(CultureInfo.InvariantCulture, $"shutdown {method} {url}: {code} ({elapsed:0}ms)"));
            }
            else
            {
                Log.Error(string.Create(CultureInfo.InvariantCulture, $"shutdown {method} {url} failed: HTTP {code} {response.ReasonPhrase} ({elapsed:0}ms)"));
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Log.Error($"shutdown {method} {url} failed: no response within {timeout.TotalSeconds:0.#}s");
        }
        catch (Exception e)
        {
            Log.Error($"shutdown {method} {url} failed: {ErrorText.Describe(e)}");
        }
    }
}
