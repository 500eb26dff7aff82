namespace Sidecars.Contract;

/// <summary>How every sidecar is told where and how to log: the same switch, variable and level names in all three.</summary>
public static class LogContract
{
    /// <summary><c>json</c> (one JSON object per line) or <c>text</c> (one human-readable line).</summary>
    public const string FormatVariable = "LOG_FORMAT";

    public const string FormatOption = "--log-format";

    public const string JsonFormat = "json";
    public const string TextFormat = "text";

    /// <summary>The minimum level written: one of <see cref="Levels"/>.</summary>
    public const string LevelVariable = "LOG_LEVEL";

    public const string LevelOption = "--log-level";

    public const string Error = "error";
    public const string Warn = "warn";
    public const string Info = "info";
    public const string Debug = "debug";
    public const string Trace = "trace";

    /// <summary>Every level name, most severe first.</summary>
    public static IReadOnlyList<string> Levels { get; } = [Error, Warn, Info, Debug, Trace];
}
