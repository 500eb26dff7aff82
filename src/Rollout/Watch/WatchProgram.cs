using System.Net;
using System.Security.Cryptography;
using Controllers.Kube;
using Microsoft.Extensions.Logging;
using Rollout.Cli;
using Rollout.Kube;
using Rollout.Output;

namespace Rollout.Watch;

/// <summary>
/// <c>sidecar-rollout watch</c>: the health and metrics host (Controllers.Kube's, with OpenTelemetry's Prometheus
/// exporter) and the <see cref="RolloutWatcher"/> under a Lease, until SIGINT or SIGTERM.
/// </summary>
public static class WatchProgram
{
    public static async Task<int> RunAsync(WatchOptions options, RolloutConsole console, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        var format = options.LogFormat switch
        {
            OutputFormat.Json => LogFormat.Json,
            OutputFormat.Text => LogFormat.Text,
            _ => console.OutIsTerminal ? LogFormat.Text : LogFormat.Json,
        };
        var level = options.LogLevel switch
        {
            Verbosity.Debug => LogLevel.Debug,
            Verbosity.Info => LogLevel.Information,
            Verbosity.Warn => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        void Logging(ILoggingBuilder builder) => ControllerLogging.Configure(builder, format, level);
        using var loggers = LoggerFactory.Create(Logging);
        var logger = loggers.CreateLogger("sidecar-rollout");

        k8s.IKubernetes client;
        try
        {
            client = KubeClientFactory.Create(options.Kubeconfig, options.Context, console.Environment);
        }
        catch (KubeconfigException ex)
        {
            await console.Error.WriteLineAsync($"error: cannot use the kubeconfig: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        using (client)
        {
            var podName = console.Environment("POD_NAME") ?? Environment.MachineName;
            var identity = options.Identity ?? $"{podName}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            var leaseNamespace = options.LeaseNamespace ?? console.Environment("POD_NAMESPACE") ?? options.InjectorNamespace;
            using var metrics = new WatchMetrics();
            var watcher = new RolloutWatcher(client, options, loggers, metrics, identity, leaseNamespace, console.Time);
            var web = ControllerWebHost.Build(IPAddress.Any, options.HealthPort, watcher.Health, [WatchMetrics.MeterName], Logging);
            await using (web.ConfigureAwait(false))
            {
                try
                {
                    await web.StartAsync(stop).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    await console.Error.WriteLineAsync($"error: cannot serve health and metrics on port {options.HealthPort}: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                WatchLog.Started(logger, identity, leaseNamespace, options.LeaseName, options.HealthPort);
                try
                {
                    await watcher.RunAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }

                await web.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        WatchLog.Stopped(logger);
        return ExitCodes.Success;
    }
}
