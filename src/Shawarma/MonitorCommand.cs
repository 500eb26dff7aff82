using Shawarma.Cli;
using Shawarma.Http;
using Shawarma.Notifying;
using Shawarma.State;
using Shawarma.Watching;
using Sidecars.Contract;
using Sidecars.Http;
using Sidecars.Kube;
using Sidecars.Runtime.Logging;

namespace Shawarma;

/// <summary>Wires <c>shawarma monitor</c>: list-watches -> tracker -> (notifier, state server).</summary>
internal sealed class MonitorCommand
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(5);

    private readonly MonitorOptions _options;
    private readonly SidecarLog _log;

    public MonitorCommand(MonitorOptions options, SidecarLog log)
    {
        _options = options;
        _log = log;
    }

    /// <exception cref="KubeConfigException">No usable Kubernetes configuration.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The listen port cannot be bound.</exception>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var o = _options;
        using var kube = KubeApiClient.Create(o.Kubeconfig, o.Context);
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

        var serverOptions = new HttpServerOptions { Port = o.ListenPort, LoopbackOnly = true, ServerName = SidecarNames.Shawarma };
        using var server = HttpServer.Listen(serverOptions, new StateRoutes(() => tracker.Current ?? DeploymentState.Inactive), _log);
        _log.Info($"monitoring pod {o.Namespace}/{o.Pod} behind {Describe(o)} via {kube.Server}; serving http://{server.Address}:{server.LocalEndPoint.Port}{ShawarmaContract.DeploymentStatePath}"
            + (o.DisableNotifier ? "; notifier disabled" : $"; notifying {o.Url}"));

        var ns = Uri.EscapeDataString(o.Namespace);
        var sliceSelector = o.Service is null ? KubeObjectParser.ServiceNameLabel : $"{KubeObjectParser.ServiceNameLabel}={o.Service}";
        var slices = new ListWatch(kube, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?labelSelector={Uri.EscapeDataString(sliceSelector)}");
        var tasks = new List<Task>
        {
            server.RunAsync(ct),
            RunAsync(slices, new SnapshotHandler<EndpointSliceInfo>("endpointslices", KubeObjectParser.ParseEndpointSlice, tracker.SetSlices, _log), ct),
        };
        if (!o.DisableNotifier)
        {
            tasks.Add(notifier.RunAsync(ct));
        }

        if (byLabels)
        {
            var query = "labelSelector=" + Uri.EscapeDataString(o.LabelSelector!)
                + (o.Service is null ? "" : "&fieldSelector=" + Uri.EscapeDataString("metadata.name=" + o.Service));
            var services = new ListWatch(kube, $"/api/v1/namespaces/{ns}/services?{query}");
            var handler = new SnapshotHandler<ServiceInfo>(
                "services",
                KubeObjectParser.ParseService,
                list => tracker.SetServices(ActivityEvaluator.MatchServices(list, o.Service, o.ServiceLabels)),
                _log);
            tasks.Add(RunAsync(services, handler, ct));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        _log.Info("stopped");
        return 0;
    }

    private static async Task RunAsync(ListWatch watch, IListWatchHandler handler, CancellationToken ct)
    {
        try
        {
            await watch.RunAsync(handler, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private static string Describe(MonitorOptions o) =>
        (o.Service is null ? "" : $"service '{o.Service}'")
        + (o.Service is not null && o.LabelSelector is not null ? " with " : "")
        + (o.LabelSelector is null ? "" : $"service labels '{o.LabelSelector}'");
}
