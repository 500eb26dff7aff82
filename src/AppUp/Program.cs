using System.Net.Sockets;
using System.Runtime.InteropServices;
using AppUp.Configuration;
using AppUp.Diagnostics;
using AppUp.Http;
using AppUp.Routing;
using AppUp.Server;
using AppUp.State;

namespace AppUp;

/// <summary>
/// appup: a readiness switch sidecar. Exit codes: 0 normal stop (SIGTERM/SIGINT) or --help,
/// 1 runtime failure (cannot bind, cannot write the file), 2 invalid configuration or arguments.
/// </summary>
internal static class Program
{
    private const string Usage = """
        appup: a readiness switch for apps without a health endpoint (a Kubernetes sidecar).

        Usage: appup [--help]

        Environment:
          UP_FILE     the file whose presence means "up" (default /pod/up.txt)
          UP_PORT     TCP port to listen on, all interfaces (default 9999; 0 picks a free port)
          UP_INITIAL  'up' creates UP_FILE at start (default), 'down' removes it

        Endpoints (GET or HEAD):
          /up      create UP_FILE               200 "app is up"
          /down    remove UP_FILE               200 "app is down", 503 if it was already down
          /health  200 if UP_FILE exists, else 503: point the app container's readinessProbe here

        Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 invalid configuration.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0)
        {
            if (args is ["--help"] or ["-h"])
            {
                Console.Out.WriteLine(Usage);
                return 0;
            }

            await Console.Error.WriteLineAsync($"appup: unknown argument '{args[0]}'. appup takes no arguments except --help; configure it with UP_FILE, UP_PORT and UP_INITIAL.");
            return 2;
        }

        if (!OptionsParser.TryParse(Environment.GetEnvironmentVariable, out var options, out var error))
        {
            await Console.Error.WriteLineAsync($"appup: {error}");
            return 2;
        }

        if (Directory.Exists(options!.File))
        {
            await Console.Error.WriteLineAsync($"appup: invalid {OptionsParser.FileVariable} '{options.File}': it is a directory; expected a file path such as {AppUpOptions.DefaultFile}");
            return 2;
        }

        return await RunAsync(options);
    }

    private static async Task<int> RunAsync(AppUpOptions options)
    {
        var file = new UpFile(options.File);
        var router = new Router(file, Log.Info);
        try
        {
            if (options.Initial == InitialState.Up)
            {
                file.Create();
            }
            else
            {
                file.Remove();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var action = options.Initial == InitialState.Up ? "create" : "remove";
            Log.Error($"cannot {action} {options.File} (UP_INITIAL={options.Initial.ToString().ToLowerInvariant()}): {FileErrors.Describe(e)}");
            return 1;
        }

        var up = file.Exists();
        router.Observe(up, "start");

        HttpServer server;
        try
        {
            server = HttpServer.Listen(options.Port, router, new HttpDate(TimeProvider.System));
        }
        catch (SocketException e)
        {
            Log.Error($"cannot listen on port {options.Port}: {DescribeBindError(e)}");
            return 1;
        }

        using (server)
        using (var stop = new CancellationTokenSource())
        {
            // Handled signals do not kill the process; we stop accepting and return 0 ourselves.
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, stop));
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, stop));

            Log.Info($"appup started: listening on {server.Address}:{server.LocalEndPoint.Port} port={server.LocalEndPoint.Port} file={options.File} state={(up ? "up" : "down")} pid={Environment.ProcessId}");
            await server.RunAsync(stop.Token);
        }

        return 0;
    }

    private static void OnSignal(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        Log.Info($"{context.Signal} received, stopping");
        stop.Cancel();
    }

    private static string DescribeBindError(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use (another process or container in the pod uses it; set UP_PORT)",
        SocketError.AccessDenied => "permission denied (ports below 1024 need privileges; set UP_PORT)",
        _ => e.SocketErrorCode.ToString(),
    };
}
