using System.Runtime.InteropServices;
using KubeStandIn;
using TestKit.Kube.Server;

// Usage: KubeStandIn PORTFILE [--namespace NS] [--service SERVICE] [--pod POD]
// Serves the kit's stand-in API server on plain HTTP at 127.0.0.1:<free port>, seeded for the sidecar benchmarks,
// writes the port to PORTFILE once listening, and runs until SIGTERM or SIGINT. Any token is accepted.
string? portFile = null;
string ns = "shop", service = "web", pod = "web-0";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--namespace" when i + 1 < args.Length:
            ns = args[++i];
            break;
        case "--service" when i + 1 < args.Length:
            service = args[++i];
            break;
        case "--pod" when i + 1 < args.Length:
            pod = args[++i];
            break;
        case var value when portFile is null && !value.StartsWith('-'):
            portFile = value;
            break;
        default:
            await Console.Error.WriteLineAsync($"kube-standin: unexpected argument '{args[i]}'. Usage: KubeStandIn PORTFILE [--namespace NS] [--service SERVICE] [--pod POD]");
            return 2;
    }
}

if (portFile is null)
{
    await Console.Error.WriteLineAsync("kube-standin: PORTFILE is required. Usage: KubeStandIn PORTFILE [--namespace NS] [--service SERVICE] [--pod POD]");
    return 2;
}

await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { Https = false });
SeedWorld.Into(server.Store, ns, service, pod);
var temporary = portFile + ".tmp";
await File.WriteAllTextAsync(temporary, server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
File.Move(temporary, portFile, overwrite: true);
await Console.Error.WriteLineAsync($"kube-standin: serving {server.Url} (namespace {ns}, service {service}, pod {pod})");

var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
await stop.Task;
return 0;
