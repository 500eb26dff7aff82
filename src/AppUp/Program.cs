using System.Net.Sockets;
using System.Runtime.InteropServices;
using AppUp.Configuration;
using AppUp.Routing;
using AppUp.State;
using Sidecars.Contract;
using Sidecars.Http;
using Sidecars.Runtime.Errors;
using Sidecars.Runtime.Logging;

namespace AppUp;

/// <summary>
/// appup: a readiness switch sidecar. Exit codes: 0 normal stop (SIGTERM/SIGINT) or --help,
/// 1 runtime failure (cannot bind, cannot write the file), 2 invalid configuration or arguments.
/// </summary>
internal static class Program
{
    private const string Name = SidecarNames.AppUp;

    private static readonly string Usage = $"""
        appup: a readiness switch for apps without a health endpoint (a Kubernetes sidecar).

        Usage: appup [{LogContract.FormatOption} {LogContract.JsonFormat}|{LogContract.TextFormat}] [--help]

        Environment:
          {AppUpContract.UpFileVariable,-11} the file whose presence means "up" (default {AppUpContract.StandaloneUpFilePath})
          {AppUpContract.PortVariable,-11} TCP port to listen on, all interfaces (default {AppUpContract.DefaultPort}; 0 picks a free port)
          {AppUpContract.InitialVariable,-11} '{AppUpContract.InitialUp}' creates {AppUpContract.UpFileVariable} at start (default), '{AppUpContract.InitialDown}' removes it
          {LogContract.FormatVariable,-11} {LogContract.JsonFormat} (default when stderr is not a terminal) or {LogContract.TextFormat}
          {LogContract.LevelVariable,-11} {string.Join(", ", LogContract.Levels)} (default {LogContract.Info})

        Endpoints (GET or HEAD):
          {AppUpContract.UpPath,-8} create {AppUpContract.UpFileVariable}               200 "app is up"
          {AppUpContract.DownPath,-8} remove {AppUpContract.UpFileVariable}               200 "app is down", 503 if it was already down
          {AppUpContract.HealthPath,-8} 200 if {AppUpContract.UpFileVariable} exists, else 503: point the app container's readinessProbe here

        Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 invalid configuration.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        if (!OptionsParser.TryParse(args, Environment.GetEnvironmentVariable, LogSettings.DefaultFormat, out var options, out var error))
        {
            new SidecarLog(Name, LogLevel.Error, LogSettings.EarlyFormat(Environment.GetEnvironmentVariable)).Error($"{error}; see appup --help");
            return 2;
        }

        var log = new SidecarLog(Name, options!.LogLevel, options.LogFormat);
        if (Directory.Exists(options.File))
        {
            log.Error($"invalid {OptionsParser.FileVariable} '{options.File}': it is a directory; expected a file path such as {AppUpContract.StandaloneUpFilePath}");
            return 2;
        }

        return await RunAsync(options, log);
    }

    private static async Task<int> RunAsync(AppUpOptions options, SidecarLog log)
    {
        var file = new UpFile(options.File);
        var router = new Router(file, log.Info);
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
            log.Error($"cannot {action} {options.File} ({AppUpContract.InitialVariable}={options.Initial.ToString().ToLowerInvariant()}): {ErrorText.Describe(e)}");
            return 1;
        }

        var up = file.Exists();
        router.Observe(up, "start");

        HttpServer server;
        try
        {
            // Every interface: the kubelet probes the pod IP.
            server = HttpServer.Listen(new HttpServerOptions { Port = options.Port, ServerName = Name }, router, log);
        }
        catch (SocketException e)
        {
            log.Error($"cannot listen on port {options.Port}: {DescribeBindError(e)}");
            return 1;
        }

        using (server)
        using (var stop = new CancellationTokenSource())
        {
            // Handled signals do not kill the process; we stop accepting and return 0 ourselves.
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, stop, log));
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, stop, log));

            log.Info($"appup started: listening on {server.Address}:{server.LocalEndPoint.Port} port={server.LocalEndPoint.Port} file={options.File} state={(up ? "up" : "down")} pid={Environment.ProcessId}");
            await server.RunAsync(stop.Token);
        }

        return 0;
    }

    private static void OnSignal(PosixSignalContext context, CancellationTokenSource stop, SidecarLog log)
    {
        context.Cancel = true;
        log.Info($"{context.Signal} received, stopping");
        stop.Cancel();
    }

    private static string DescribeBindError(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => $"the address is already in use (another process or container in the pod uses it; set {AppUpContract.PortVariable})",
        SocketError.AccessDenied => $"permission denied (ports below 1024 need privileges; set {AppUpContract.PortVariable})",
        _ => ErrorText.Describe(e.SocketErrorCode),
    };
}
