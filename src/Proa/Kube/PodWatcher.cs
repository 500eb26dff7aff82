using System.Text.Json;
using Sidecars.Kube;

namespace Proa.Kube;

/// <summary>
/// Follows one pod: GET it, then watch from its resourceVersion, handing each snapshot to a decision function
/// until that returns a result. Transport errors and 5xx are retried with backoff (forever; the caller's token
/// bounds the wait); 410 Gone (HTTP or an ERROR event) re-lists, a closed stream re-watches; 404 or DELETED report the pod
/// as gone. <see cref="LastError"/> keeps the most recent problem for the caller's timeout message.
/// </summary>
internal sealed class PodWatcher(IPodApi api)
{
    public string? LastError { get; private set; }

    /// <summary>The most recent pod snapshot seen, if any.</summary>
    public JsonElement? LastPod { get; private set; }

    public async Task<T> WatchUntilAsync<T>(Func<PodUpdate, T?> decide, CancellationToken cancellationToken)
        where T : class
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        string? resourceVersion = null;
        var needList = true;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (needList)
                {
                    PodUpdate update;
                    try
                    {
                        using var document = await api.GetPodAsync(cancellationToken);
                        var pod = document.RootElement.Clone();
                        resourceVersion = ResourceVersion(pod);
                        update = new PodUpdate(pod, false);
                        LastPod = pod;
                    }
                    catch (KubeApiException e) when (e.StatusCode == 404)
                    {
                        LastError = e.Message;
                        update = PodUpdate.Gone;
                    }

                    needList = false;
                    backoff.Reset();
                    if (decide(update) is { } listed)
                    {
                        return listed;
                    }

                    if (update.Deleted)
                    {
                        // The decision function chose to keep waiting for a pod that does not exist; poll slowly.
                        needList = true;
                        await Task.Delay(backoff.Next(), cancellationToken);
                        continue;
                    }
                }

                var watchStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                var events = 0;
                await foreach (var watchEvent in api.WatchPodAsync(resourceVersion, cancellationToken))
                {
                    events++;
                    switch (watchEvent.Type)
                    {
                        case "ADDED" or "MODIFIED":
                            var pod = watchEvent.Object.Clone();
                            LastPod = pod;
                            resourceVersion = ResourceVersion(pod) ?? resourceVersion;

                            backoff.Reset();
                            if (decide(new PodUpdate(pod, false)) is { } result)
                            {
                                return result;
                            }

                            break;
                        case "DELETED":
                            if (decide(PodUpdate.Gone) is { } gone)
                            {
                                return gone;
                            }

                            break;
                        case "BOOKMARK":
                            resourceVersion = ResourceVersion(watchEvent.Object) ?? resourceVersion;
                            break;
                    }
                }

                // A stream that simply ends (server-side timeout) is normal: watch again from where we are.
                // One that ends at once with nothing in it is not; back off so we do not spin.
                if (events == 0 && System.Diagnostics.Stopwatch.GetElapsedTime(watchStarted) < TimeSpan.FromSeconds(1))
                {
                    await Task.Delay(backoff.Next(), cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (KubeApiException e) when (e.StatusCode == 410)
            {
                Log.Debug("watch resourceVersion too old (410 Gone); listing again");
                needList = true;
            }
            catch (Exception e)
            {
                LastError = Describe(e);
                var delay = backoff.Next();
                Log.Info($"Kubernetes API ({api.Describe}) error: {LastError}; retrying in {delay.TotalSeconds:0.0}s");
                needList = true;
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static string Describe(Exception e) => e switch
    {
        KubeApiException api when api.StatusCode == 403 => api.Message + " (the pod's service account needs get/watch on its own pod)",
        KubeApiException api => api.Message,
        _ => e.GetBaseException().Message,
    };

    private static string? ResourceVersion(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
        && meta.TryGetProperty("resourceVersion", out var rv) && rv.ValueKind == JsonValueKind.String
            ? rv.GetString()
            : null;
}
