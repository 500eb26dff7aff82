namespace Proa.Cli;

/// <summary>Result of parsing the command line: options, a help request, or an error message.</summary>
internal sealed record ParseOutcome(ProaOptions? Options, bool HelpRequested, string? Error)
{
    public static ParseOutcome Ok(ProaOptions options) => new(options, false, null);

    public static ParseOutcome Help() => new(null, true, null);

    public static ParseOutcome Fail(string error) => new(null, false, error);
}
