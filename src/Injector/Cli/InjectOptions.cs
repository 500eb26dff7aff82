namespace Injector.Cli;

/// <summary>Settings of the offline <c>inject</c> verb. <see cref="File"/> is <c>-</c> for standard input.</summary>
internal sealed record InjectOptions(string File, string? ConfigFile);
