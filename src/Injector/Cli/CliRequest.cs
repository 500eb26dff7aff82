namespace Injector.Cli;

/// <summary>What the command line asks for: run a verb, or exit (help or version printed, or a usage error).</summary>
internal abstract record CliRequest
{
    private CliRequest()
    {
    }

    public sealed record Serve(ServeOptions Options) : CliRequest;

    public sealed record Inject(InjectOptions Options) : CliRequest;

    public sealed record Exit(int Code) : CliRequest;
}
