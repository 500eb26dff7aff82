using Shawarma.Cli;
using Shawarma.Http;
using Shawarma.Logging;
using Shawarma.Notifying;
using Shawarma.State;
using Shawarma.Watching;
using Sidecars.Kube;

namespace Shawarma;

/// <summary>Wires <c>shawarma monitor</c>: watchers -> tracker -> (notifier, state server).</summary>
internal sealed class MonitorCommand
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(5);

    private readonly MonitorOptions _options;
    private readonly Log _log;

    public MonitorCommand(MonitorOptions options, Log log)
    {
        _options = options;
        _log = log;
    }

    /// <exception cref="InvalidOperationException">No usable Kubernetes configuration.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The listen port cannot be bound.</exception>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var o = _options;
        using var kube = KubeApiClient.Create(o.Kubeconfig);
        using var sender = new HttpStateSender(o.Url, _log, PostTimeout);
        var notifier = new StateNotifier(sender.SendAsync, _log, Debounce, MaxBackoff);

        // Selecting by name only: the Service set is fixed, no need to read Services (less RBAC, less traffic).
        var byLabels = o.ServiceLabels.Count > 0;
        var tracker = new StateTracker(
            o.Pod,
            _log,
            state =>
            {
                if (!o.DisableNotifier)
                {
                    notifier.Update(state);
                }
            },
            byLabels ? null : [o.Service!]);

        using var server = StateServer.Start(o.ListenPort, () => tracker.Current ?? DeploymentState.Inactive, _log);
        _log.Info($"monitoring pod {o.Namespace}/{o.Pod} behind {Describe(o)} via {kube.Server}; serving http://127.0.0.1:{server.Port}/deploymentstate"
            + (o.DisableNotifier ? "; notifier disabled" : $"; notifying {o.Url}"));

        var ns = Uri.EscapeDataString(o.Namespace);
        var sliceSelector = o.Service is null ? KubeObjectParser.ServiceNameLabel : $"{KubeObjectParser.ServiceNameLabel}={o.Service}";
        var slices = new ListWatcher<EndpointSliceInfo>(
            kube,
            $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?labelSelector={Uri.EscapeDataString(sliceSelector)}",
            "endpointslices",
            KubeObjectParser.ParseEndpointSlice,
            tracker.SetSlices,
            _log,
            MaxBackoff);

        var tasks = new List<Task> { server.RunAsync(ct), slices.RunAsync(ct) };
        if (!o.DisableNotifier)
        {
            tasks.Add(notifier.RunAsync(ct));
        }

        if (byLabels)
        {
            var query = "labelSelector=" + Uri.EscapeDataString(o.LabelSelector!)
                + (o.Service is null ? "" : "&fieldSelector=" + Uri.EscapeDataString("metadata.name=" + o.Service));
            var services = new ListWatcher<ServiceInfo>(
                kube,
                $"/api/v1/namespaces/{ns}/services?{query}",
                "services",
                KubeObjectParser.ParseService,
                list => tracker.SetServices(ActivityEvaluator.MatchServices(list, o.Service, o.ServiceLabels)),
                _log,
                MaxBackoff);
            tasks.Add(services.RunAsync(ct));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        _log.Info("stopped");
        return 0;
    }

    private static string Describe(MonitorOptions o) =>
        (o.Service is null ? "" : $"service '{o.Service}'")
        + (o.Service is not null && o.LabelSelector is not null ? " with " : "")
        + (o.LabelSelector is null ? "" : $"service labels '{o.LabelSelector}'");
}
