using System.CommandLine;
using System.CommandLine.Help;

namespace Injector.Cli;

/// <summary>
/// <c>injector [serve] [options]</c> and <c>injector inject -f FILE|-</c> on System.CommandLine: help on every verb,
/// <c>--version</c>, and a usage error as one line on stderr with exit code 2.
/// </summary>
internal static class CommandLine
{
    public const string Description = """
        Kubernetes mutating admission webhook that injects the appup, shawarma and proa sidecars.

        Every serve option can also be set through the environment variable named after it; a flag wins over the
        environment, which wins over the default.

        Exit codes: 0 stopped on SIGTERM/SIGINT (serve) or printed every document (inject); 1 inject denied a document
        or could not read its input or config; 2 bad command line or environment value; 3 serve could not start (config,
        TLS files, kubeconfig, or a port in use).
        """;

    /// <summary>Parses <paramref name="args"/>; prints help, version or the usage error itself.</summary>
    public static CliRequest Parse(IReadOnlyList<string> args, Func<string, string?> env, bool stdoutIsTerminal, TextWriter stdout, TextWriter stderr)
    {
        var serve = new ServeCommandLine(env, stdoutIsTerminal);
        var inject = new InjectCommandLine(env);
        CliRequest? request = null;

        // Not RootCommand: it names itself after argv[0], and in the image that is the shared /usr/local/bin/entrypoint link.
        var root = new Command("injector", Description) { Options = { new HelpOption(), new VersionOption() } };
        serve.AddTo(root); // serve is the default verb
        root.SetAction(result => request = new CliRequest.Serve(serve.Bind(result)));
        var serveCommand = new Command("serve", "Run the webhook (the default when no verb is given)");
        serve.AddTo(serveCommand);
        serveCommand.SetAction(result => request = new CliRequest.Serve(serve.Bind(result)));
        var injectCommand = inject.Command();
        injectCommand.SetAction(result => request = new CliRequest.Inject(inject.Bind(result)));
        root.Subcommands.Add(serveCommand);
        root.Subcommands.Add(injectCommand);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var verb = parsed.CommandResult.Command == root ? "injector" : "injector " + parsed.CommandResult.Command.Name;
            stderr.WriteLine($"error: {parsed.Errors[0].Message} (see '{verb} --help')");
            return new CliRequest.Exit(ExitCodes.Usage);
        }

        var code = parsed.Invoke(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // the host handles SIGTERM itself (graceful drain)
        });
        return request ?? new CliRequest.Exit(code);
    }
}
