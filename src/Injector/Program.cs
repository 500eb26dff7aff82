using Injector.Cli;
using Injector.Hosting;
using Injector.Tls;

namespace Injector;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var request = CommandLine.Parse(args, Environment.GetEnvironmentVariable, stdoutIsTerminal: !Console.IsOutputRedirected, Console.Out, Console.Error);
        return request switch
        {
            CliRequest.Inject inject => InjectCommand.Run(inject.Options, Console.In, Console.Out, Console.Error),
            CliRequest.Serve serve => await ServeAsync(serve.Options).ConfigureAwait(false),
            CliRequest.Exit exit => exit.Code,
            _ => throw new InvalidOperationException($"unhandled {request}"),
        };
    }

    private static async Task<int> ServeAsync(ServeOptions options)
    {
        SystemTrustStore.SkipUnlessNeeded(options);
        WebhookHost host;
        try
        {
            host = await WebhookHost.StartAsync(options with { TrimMemory = true }).ConfigureAwait(false);
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.StartupFailed;
        }

        await using (host.ConfigureAwait(false))
        {
            await host.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
