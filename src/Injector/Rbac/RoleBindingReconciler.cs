using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sidecars.Contract;
using Sidecars.Kube;

namespace Injector.Rbac;

/// <summary>
/// Keeps a RoleBinding per (namespace, service account, sidecar ClusterRole) for pods the injector injected, so the
/// shawarma and proa sidecars can read the API without anyone writing RBAC. Follows pods labelled
/// <c>sidecars.dev/injected=true</c> cluster-wide with the sidecars' own <see cref="ListWatch"/> (paged list, watch
/// with bookmarks, relist on 410 and errors with backoff) and lists everything again every
/// <see cref="RoleBindingReconcilerOptions.ResyncPeriod"/>. Sidecars.Kube rather than KubernetesClient keeps the
/// webhook free to become a Native AOT binary.
/// <para>
/// Bindings are created once and remembered. A 409 on create means one exists: it is read and updated only when
/// it carries our managed-by label and differs. Bindings without the label are never modified, and nothing is ever
/// deleted. API errors (403, 5xx, timeouts) are logged and retried; the loop keeps going.
/// </para>
/// </summary>
public sealed class RoleBindingReconciler : BackgroundService, IListWatchHandler
{
    private const string PodsPath = "/api/v1/pods?labelSelector=";

    private readonly KubeApiClient _client;
    private readonly RoleBindingReconcilerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Namespace, string Name), DesiredRoleBinding> _ensured = new();
    private bool _handlerFailed;

    public RoleBindingReconciler(KubeApiClient client, RoleBindingReconcilerOptions options, ILogger<RoleBindingReconciler> logger)
        : this(client, options, logger, TimeProvider.System)
    {
    }

    internal RoleBindingReconciler(KubeApiClient client, RoleBindingReconcilerOptions options, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _client.RequestTimeout = options.RequestTimeout;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>Bindings created or confirmed since the last resync (for tests and diagnostics).</summary>
    internal IReadOnlyCollection<DesiredRoleBinding> Ensured => _ensured.Values.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RbacLog.Started(_logger, string.Join(',', _options.ClusterRoles.Select(kv => $"{kv.Key}={kv.Value}")));
        var watch = new ListWatch(
            _client,
            PodsPath + Uri.EscapeDataString(RoleBindingContract.InjectedSelector),
            new ListWatchOptions
            {
                PageSize = _options.PageSize,
                ResyncPeriod = _options.ResyncPeriod,
                MinBackoff = _options.MinBackoff,
                MaxBackoff = _options.MaxBackoff,
                WatchTimeout = _options.WatchTimeout,
                IdleGrace = _options.WatchIdleGrace,
                HealthyAfter = _options.HealthyWatch,
            },
            _time);
        try
        {
            await watch.RunAsync(this, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }

        RbacLog.Stopped(_logger);
    }

    async ValueTask<ListWatchStep> IListWatchHandler.OnListAsync(IReadOnlyList<JsonElement> items, ListReason reason, CancellationToken ct)
    {
        if (reason == ListReason.Resync)
        {
            _ensured.Clear(); // re-check everything, so deleted bindings come back
        }

        var desired = items.SelectMany(DesiredOrLog).Distinct().ToList();
        RbacLog.Listed(_logger, items.Count, desired.Count);
        var ok = true;
        foreach (var d in desired)
        {
            ok &= await EnsureAsync(d, ct).ConfigureAwait(false);
        }

        _handlerFailed = !ok;
        return ok ? ListWatchStep.Continue : ListWatchStep.Retry;
    }

    async ValueTask<ListWatchStep> IListWatchHandler.OnEventAsync(string type, JsonElement item, CancellationToken ct)
    {
        if (type == KubeWatchEvent.Deleted)
        {
            return ListWatchStep.Continue; // bindings are kept: other pods of the service account may still need them
        }

        foreach (var d in DesiredOrLog(item))
        {
            if (!await EnsureAsync(d, ct).ConfigureAwait(false))
            {
                _handlerFailed = true;
                return ListWatchStep.Retry;
            }
        }

        return ListWatchStep.Continue;
    }

    void IListWatchHandler.OnNotice(ListWatchNotice notice)
    {
        switch (notice.Kind)
        {
            case ListWatchNoticeKind.Retrying when _handlerFailed:
                _handlerFailed = false;
                RbacLog.Retrying(_logger, notice.Delay);
                break;
            case ListWatchNoticeKind.Retrying:
                RbacLog.ListFailed(_logger, notice.StatusCode, notice.Delay, notice.Message);
                break;
            case ListWatchNoticeKind.Relisting or ListWatchNoticeKind.WatchEnded:
                RbacLog.WatchEnded(_logger, notice.Message);
                break;
        }
    }

    private IReadOnlyList<DesiredRoleBinding> DesiredOrLog(JsonElement pod)
    {
        var desired = RoleBindingPlanner.DesiredFor(pod, _options.ClusterRoles);
        if (desired.Count == 0 && RoleBindingPlanner.SidecarsOf(RoleBindingPlanner.StatusOf(pod)) is null)
        {
            var metadata = pod.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            RbacLog.NoStatus(_logger, Text(metadata, "namespace"), Text(metadata, "name"));
        }

        return desired;
    }

    /// <summary>Makes one binding exist. True when it is in place (or is foreign / needs a human): nothing to retry.</summary>
    internal async Task<bool> EnsureAsync(DesiredRoleBinding desired, CancellationToken ct)
    {
        var key = (desired.Namespace, desired.Name);
        if (_ensured.TryGetValue(key, out var known) && known == desired)
        {
            return true;
        }

        var collection = $"/apis/{RoleBindingPlanner.RbacApiGroup}/v1/namespaces/{Uri.EscapeDataString(desired.Namespace)}/rolebindings";
        try
        {
            try
            {
                using var created = await _client.PostAsync(collection, Body(RoleBindingPlanner.Build(desired)), ct).ConfigureAwait(false);
                RbacLog.Created(_logger, desired.Namespace, desired.Name, desired.ClusterRole, desired.ServiceAccount);
                _ensured[key] = desired;
                return true;
            }
            catch (KubeApiException e) when (e.StatusCode == 409)
            {
                // Already exists: read it and decide.
            }

            var path = $"{collection}/{Uri.EscapeDataString(desired.Name)}";
            using var existing = await _client.GetAsync(path, ct).ConfigureAwait(false);
            switch (RoleBindingPlanner.Decide(existing.RootElement, desired))
            {
                case ExistingBindingAction.UpToDate:
                    RbacLog.UpToDate(_logger, desired.Namespace, desired.Name);
                    break;
                case ExistingBindingAction.Update:
                    using (await _client.PutAsync(path, Body(RoleBindingPlanner.Merge(existing.RootElement, desired)), ct).ConfigureAwait(false))
                    {
                        RbacLog.Updated(_logger, desired.Namespace, desired.Name, desired.ServiceAccount);
                    }

                    break;
                case ExistingBindingAction.Foreign:
                    RbacLog.Foreign(_logger, desired.Namespace, desired.Name, desired.ServiceAccount, desired.ClusterRole);
                    break;
                case ExistingBindingAction.RoleRefMismatch:
                    var actual = existing.RootElement.TryGetProperty("roleRef", out var roleRef) ? Text(roleRef, "name") : "";
                    RbacLog.RoleRefMismatch(_logger, desired.Namespace, desired.Name, actual, desired.ClusterRole);
                    break;
            }

            _ensured[key] = desired; // remembered: foreign and mismatched ones are re-checked only at resync
            return true;
        }
        catch (KubeApiException e)
        {
            // 403 (missing bind permission), 409 on update (raced), 5xx, timeouts: retried by the list-watch.
            RbacLog.EnsureFailed(_logger, desired.Namespace, desired.Name, e.StatusCode, e.Message);
            return false;
        }
    }

    private static ReadOnlyMemory<byte> Body(JsonObject obj) => JsonSerializer.SerializeToUtf8Bytes(obj, RbacJson.Default.JsonObject);

    private static string Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
