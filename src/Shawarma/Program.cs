using System.Net.Sockets;
using System.Runtime.InteropServices;
using Shawarma.Cli;
using Sidecars.Contract;
using Sidecars.Kube;
using Sidecars.Runtime.Errors;
using Sidecars.Runtime.Logging;

namespace Shawarma;

/// <summary>shawarma: exit 0 after SIGTERM/SIGINT or --help; 1 for a bad command line or no usable API access.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = OptionsParser.Parse(args, Environment.GetEnvironmentVariable, LogSettings.DefaultFormat);
        if (parsed.ShowHelp)
        {
            Console.Out.WriteLine(Usage.Text);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            new SidecarLog(SidecarNames.Shawarma, LogLevel.Error, LogSettings.EarlyFormat(Environment.GetEnvironmentVariable))
                .Error($"{parsed.Error}; run 'shawarma {ShawarmaContract.MonitorCommand} --help' for usage");
            return 1;
        }

        var log = new SidecarLog(SidecarNames.Shawarma, options.LogLevel, options.LogFormat);
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we exit 0 ourselves, promptly, once the loops have stopped
            log.Info($"received {context.Signal}, shutting down");
            stop.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        try
        {
            return await new MonitorCommand(options, log).RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (KubeConfigException e)
        {
            log.Error(e.Message);
            return 1;
        }
        catch (SocketException e)
        {
            log.Error($"cannot listen on {ShawarmaContract.StateServerAddress}:{options.ListenPort}: {ErrorText.Describe(e.SocketErrorCode)}");
            return 1;
        }
    }
}
