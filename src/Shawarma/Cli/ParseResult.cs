namespace Shawarma.Cli;

/// <summary>Outcome of parsing the command line: options to run with, a help request, or an error message.</summary>
internal sealed record ParseResult(MonitorOptions? Options, bool ShowHelp, string? Error);
