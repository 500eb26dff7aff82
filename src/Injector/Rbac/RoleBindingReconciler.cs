using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Injector.Rbac;

/// <summary>
/// Keeps a RoleBinding per (namespace, service account, sidecar ClusterRole) for pods the injector injected, so the
/// shawarma and proa sidecars can read the API without anyone writing RBAC. Lists pods labelled
/// <c>sidecars.dev/injected=true</c> cluster-wide, then watches them; re-lists after a watch ends, after errors
/// (with exponential backoff) and every <see cref="RoleBindingReconcilerOptions.ResyncPeriod"/>.
/// <para>
/// Bindings are created once and remembered. A 409 on create means one exists: it is read and updated only when
/// it carries our managed-by label and differs. Bindings without the label are never modified, and nothing is ever
/// deleted. API errors (403, 5xx, timeouts) are logged and retried; the loop keeps going.
/// </para>
/// </summary>
public sealed class RoleBindingReconciler : BackgroundService
{
    private readonly IKubernetes _client;
    private readonly RoleBindingReconcilerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Namespace, string Name), DesiredRoleBinding> _ensured = new();
    private DateTimeOffset _lastResync;

    public RoleBindingReconciler(IKubernetes client, RoleBindingReconcilerOptions options, ILogger<RoleBindingReconciler> logger)
        : this(client, options, logger, TimeProvider.System)
    {
    }

    internal RoleBindingReconciler(IKubernetes client, RoleBindingReconcilerOptions options, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>Bindings created or confirmed since the last resync (for tests and diagnostics).</summary>
    internal IReadOnlyCollection<DesiredRoleBinding> Ensured => _ensured.Values.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RbacLog.Started(_logger, string.Join(',', _options.ClusterRoles.Select(kv => $"{kv.Key}={kv.Value}")));
        _lastResync = _time.GetUtcNow();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_time.GetUtcNow() - _lastResync >= _options.ResyncPeriod)
                {
                    _ensured.Clear(); // re-check everything, so deleted bindings come back
                    _lastResync = _time.GetUtcNow();
                }

                var (resourceVersion, allEnsured) = await ListAndEnsureAsync(stoppingToken).ConfigureAwait(false);
                if (!allEnsured)
                {
                    var delay = Backoff(++failures);
                    RbacLog.Retrying(_logger, delay);
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                failures = 0;
                var started = _time.GetUtcNow();
                var reason = await WatchAsync(resourceVersion, stoppingToken).ConfigureAwait(false);
                RbacLog.WatchEnded(_logger, reason);
                if (reason != "resync" && _time.GetUtcNow() - started < _options.MinBackoff)
                {
                    // A watch that ends at once (error event, proxy closing it) must not turn into a hot loop.
                    await Task.Delay(Backoff(++failures), _time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = Backoff(++failures);
                RbacLog.ListFailed(_logger, StatusOf(ex), delay, ex.Message);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        RbacLog.Stopped(_logger);
    }

    /// <summary>Lists injected pods (paged) and ensures their bindings. Returns the list's resourceVersion and
    /// whether every binding is in place.</summary>
    private async Task<(string? ResourceVersion, bool AllEnsured)> ListAndEnsureAsync(CancellationToken ct)
    {
        var pods = new List<V1Pod>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.RequestTimeout);
            var page = await _client.CoreV1.ListPodForAllNamespacesAsync(
                continueParameter: continueToken,
                labelSelector: RoleBindingPlanner.InjectedSelector,
                limit: _options.PageSize,
                cancellationToken: timeout.Token).ConfigureAwait(false);
            pods.AddRange(page.Items ?? []);
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        var desired = new List<DesiredRoleBinding>();
        foreach (var pod in pods)
        {
            desired.AddRange(DesiredOrLog(pod));
        }

        desired = desired.Distinct().ToList();
        RbacLog.Listed(_logger, pods.Count, desired.Count);
        var ok = true;
        foreach (var d in desired)
        {
            ok &= await EnsureAsync(d, ct).ConfigureAwait(false);
        }

        return (resourceVersion, ok);
    }

    private IReadOnlyList<DesiredRoleBinding> DesiredOrLog(V1Pod pod)
    {
        var desired = RoleBindingPlanner.DesiredFor(pod, _options.ClusterRoles);
        if (desired.Count == 0 && (pod.Metadata?.Annotations is null ||
            RoleBindingPlanner.SidecarsOf(pod.Metadata.Annotations.TryGetValue(RoleBindingPlanner.StatusAnnotation, out var s) ? s : null) is null))
        {
            RbacLog.NoStatus(_logger, pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "");
        }

        return desired;
    }

    /// <summary>Watches injected pods from <paramref name="resourceVersion"/> until the stream ends, an error
    /// event arrives, a binding fails, or the resync period is up. Returns why it stopped.</summary>
    private async Task<string> WatchAsync(string? resourceVersion, CancellationToken ct)
    {
        var remaining = _options.ResyncPeriod - (_time.GetUtcNow() - _lastResync);
        if (remaining <= TimeSpan.Zero)
        {
            return "resync";
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        window.CancelAfter(remaining);
        Exception? streamError = null;
        try
        {
            var events = _client.CoreV1.WatchListPodForAllNamespacesAsync(
                allowWatchBookmarks: true,
                labelSelector: RoleBindingPlanner.InjectedSelector,
                resourceVersion: resourceVersion,
                timeoutSeconds: (int)Math.Max(1, Math.Min(remaining.TotalSeconds, int.MaxValue)),
                onError: ex => streamError = ex,
                cancellationToken: window.Token);
            await foreach (var (type, pod) in events.ConfigureAwait(false))
            {
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        foreach (var d in DesiredOrLog(pod))
                        {
                            if (!await EnsureAsync(d, ct).ConfigureAwait(false))
                            {
                                return "a RoleBinding could not be ensured";
                            }
                        }

                        break;
                    case WatchEventType.Error:
                        return "error event (e.g. 410 Gone)";
                    default:
                        break; // Deleted: bindings are kept (never deleted); Bookmark: nothing to do
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "resync";
        }

        return streamError is null ? "closed by the server" : $"stream error: {streamError.Message}";
    }

    /// <summary>Makes one binding exist. True when it is in place (or is foreign / needs a human): nothing to retry.</summary>
    internal async Task<bool> EnsureAsync(DesiredRoleBinding desired, CancellationToken ct)
    {
        var key = (desired.Namespace, desired.Name);
        if (_ensured.TryGetValue(key, out var known) && known == desired)
        {
            return true;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                await _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
                    RoleBindingPlanner.Build(desired), desired.Namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
                RbacLog.Created(_logger, desired.Namespace, desired.Name, desired.ClusterRole, desired.ServiceAccount);
                _ensured[key] = desired;
                return true;
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                // Already exists: read it and decide.
            }

            var existing = await _client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(
                desired.Name, desired.Namespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            switch (RoleBindingPlanner.Decide(existing, desired))
            {
                case ExistingBindingAction.UpToDate:
                    RbacLog.UpToDate(_logger, desired.Namespace, desired.Name);
                    break;
                case ExistingBindingAction.Update:
                    await _client.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(
                        RoleBindingPlanner.Merge(existing, desired), desired.Name, desired.Namespace,
                        cancellationToken: timeout.Token).ConfigureAwait(false);
                    RbacLog.Updated(_logger, desired.Namespace, desired.Name, desired.ServiceAccount);
                    break;
                case ExistingBindingAction.Foreign:
                    RbacLog.Foreign(_logger, desired.Namespace, desired.Name, desired.ServiceAccount, desired.ClusterRole);
                    break;
                case ExistingBindingAction.RoleRefMismatch:
                    RbacLog.RoleRefMismatch(_logger, desired.Namespace, desired.Name, existing.RoleRef?.Name ?? "", desired.ClusterRole);
                    break;
            }

            _ensured[key] = desired; // remembered: foreign and mismatched ones are re-checked only at resync
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // 403 (missing bind permission), 409 on update (raced), 5xx, timeouts: retried by the caller.
            RbacLog.EnsureFailed(_logger, desired.Namespace, desired.Name, StatusOf(ex), ex.Message);
            return false;
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var ms = _options.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(ms, _options.MaxBackoff.TotalMilliseconds);
        // +-20% jitter so replicas do not retry in lockstep.
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private static int StatusOf(Exception ex) =>
        ex is HttpOperationException { Response: { } r } ? (int)r.StatusCode : 0;
}
