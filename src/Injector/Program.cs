using Injector.Cli;
using Injector.Hosting;

namespace Injector;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help" or "-h" or "help", ..])
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return 0;
        }

        try
        {
            if (args is ["inject", .. var injectArgs])
            {
                return InjectCommand.Run(CommandLine.ParseInject(injectArgs, Environment.GetEnvironmentVariable), Console.In, Console.Out, Console.Error);
            }

            var serveArgs = args is ["serve", .. var rest] ? rest : args;
            var options = CommandLine.ParseServe(serveArgs, Environment.GetEnvironmentVariable);
            await using var host = await WebhookHost.StartAsync(options).ConfigureAwait(false);
            await host.WaitForShutdownAsync().ConfigureAwait(false);
            return 0;
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
