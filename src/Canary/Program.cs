using System.Net;
using Canary.Hosting;
using Controllers.Kube;
using k8s;
using Microsoft.Extensions.Logging;

namespace Canary;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parse = CommandLine.Build(RunAsync, Environment.GetEnvironmentVariable).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run canary-controller --help for the options.").ConfigureAwait(false);
            return 2;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(ControllerOptions options, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => ControllerLogging.Configure(b, options.LogFormat, options.LogLevel));
        var logger = loggers.CreateLogger("canary-controller");
        if (!(options.LeaseDuration > options.RenewDeadline && options.RenewDeadline > options.RetryPeriod))
        {
            await Console.Error.WriteLineAsync("error: --lease-duration must be greater than --renew-deadline, which must be greater than --retry-period.").ConfigureAwait(false);
            return 2;
        }

        if (!IPAddress.TryParse(options.BindAddress, out var address))
        {
            await Console.Error.WriteLineAsync($"error: --bind-address \"{options.BindAddress}\" is not an IP address.").ConfigureAwait(false);
            return 2;
        }

        IKubernetes client;
        try
        {
            client = KubeClientFactory.Create(options.Kubeconfig, options.Context, Environment.GetEnvironmentVariable);
        }
        catch (KubeconfigException ex)
        {
            await Console.Error.WriteLineAsync($"error: cannot use the kubeconfig: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        using var owned = client;
        using var metrics = new CanaryMetrics();
        var controller = new CanaryController(client, options, loggers, metrics);
        var web = ControllerWebHost.Build(address, options.HealthPort, controller.Health, [CanaryMetrics.MeterName],
            b => ControllerLogging.Configure(b, options.LogFormat, options.LogLevel));
        await using (web.ConfigureAwait(false))
        {
            try
            {
                await web.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"error: cannot serve /healthz, /readyz and /metrics on {options.BindAddress}:{options.HealthPort}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            Log.Started(logger, options.WatchNamespace ?? "(all namespaces)", options.LeaderElect, options.Identity);
            await controller.RunAsync(cancellationToken).ConfigureAwait(false);
            await web.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Log.Stopped(logger);
        return 0;
    }
}
