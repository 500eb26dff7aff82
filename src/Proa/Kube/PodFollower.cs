using System.Text.Json;
using Sidecars.Kube;

namespace Proa.Kube;

/// <summary>
/// Follows proa's own pod with the shared <see cref="ListWatch"/> (list and watch of the pod collection with a name
/// field selector: watching one object by name is not a Kubernetes API, and the RBAC rule stays "list, watch pods"),
/// handing each snapshot to a decision function until that returns a result. Errors and 410 Gone are the list-watch's
/// business (backoff, relist); <see cref="LastError"/> keeps the most recent one for the caller's timeout message.
/// </summary>
internal sealed class PodFollower(KubeApiClient client, string ns, string name, ListWatchOptions? options = null)
{
    private readonly string _path = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods?fieldSelector={Uri.EscapeDataString("metadata.name=" + name)}";

    public string? LastError { get; private set; }

    /// <summary>The most recent pod snapshot seen, if any.</summary>
    public JsonElement? LastPod { get; private set; }

    /// <summary>Runs until <paramref name="decide"/> returns non-null; <paramref name="ct"/> bounds the wait (and throws).</summary>
    public async Task<T> WatchUntilAsync<T>(Func<PodUpdate, T?> decide, CancellationToken ct)
        where T : class
    {
        var handler = new Handler<T>(this, decide);
        await new ListWatch(client, _path, options).RunAsync(handler, ct).ConfigureAwait(false);
        return handler.Result!;
    }

    private sealed class Handler<T>(PodFollower owner, Func<PodUpdate, T?> decide) : IListWatchHandler
        where T : class
    {
        public T? Result { get; private set; }

        public ValueTask<ListWatchStep> OnListAsync(IReadOnlyList<JsonElement> items, ListReason reason, CancellationToken ct)
        {
            // The field selector matches one name: no item means the pod does not exist (yet, or any more).
            var pod = items.FirstOrDefault(i => i.ValueKind == JsonValueKind.Object);
            return Decide(pod.ValueKind == JsonValueKind.Object ? Seen(pod) : PodUpdate.Gone);
        }

        public ValueTask<ListWatchStep> OnEventAsync(string type, JsonElement item, CancellationToken ct) =>
            Decide(type == KubeWatchEvent.Deleted ? PodUpdate.Gone : Seen(item));

        public void OnNotice(ListWatchNotice notice)
        {
            switch (notice.Kind)
            {
                case ListWatchNoticeKind.Retrying:
                    owner.LastError = notice.StatusCode == 403
                        ? notice.Message + " (the pod's service account needs list and watch on its own pod)"
                        : notice.Message;
                    Log.Info($"Kubernetes API: {owner.LastError}");
                    break;
                default:
                    Log.Debug(notice.Message);
                    break;
            }
        }

        private PodUpdate Seen(JsonElement pod)
        {
            var copy = pod.Clone();
            owner.LastPod = copy;
            return new PodUpdate(copy, false);
        }

        private ValueTask<ListWatchStep> Decide(PodUpdate update)
        {
            Result = decide(update);
            return ValueTask.FromResult(Result is null ? ListWatchStep.Continue : ListWatchStep.Stop);
        }
    }
}
