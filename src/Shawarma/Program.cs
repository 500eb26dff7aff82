using System.Net.Sockets;
using System.Runtime.InteropServices;
using Shawarma.Cli;
using Shawarma.Logging;

namespace Shawarma;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = OptionsParser.Parse(args, Environment.GetEnvironmentVariable);
        if (parsed.ShowHelp)
        {
            Console.Out.WriteLine(Usage.Text);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            await Console.Error.WriteLineAsync($"shawarma: error: {parsed.Error}\nRun 'shawarma monitor --help' for usage.").ConfigureAwait(false);
            return 1;
        }

        var log = new Log(options.LogLevel);
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
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"shawarma: error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (SocketException e)
        {
            var message = $"cannot listen on 127.0.0.1:{options.ListenPort}: {e.Message}";
            await Console.Error.WriteLineAsync($"shawarma: error: {message}").ConfigureAwait(false);
            return 1;
        }
    }
}
