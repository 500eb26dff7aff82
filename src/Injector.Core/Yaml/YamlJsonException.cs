namespace Injector.Core.Yaml;

/// <summary>
/// YAML that cannot be read, or cannot be represented as JSON the way kubectl would represent it. The message
/// starts with the 1-based line and column when they are known ("line 3, column 7: ...").
/// </summary>
public sealed class YamlJsonException : FormatException
{
    public YamlJsonException(string message)
        : base(message)
    {
    }

    public YamlJsonException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public YamlJsonException()
    {
    }

    public YamlJsonException(long line, long column, string message)
        : base($"line {line}, column {column}: {message}")
    {
        Line = line;
        Column = column;
    }

    public YamlJsonException(long line, long column, string message, Exception inner)
        : base($"line {line}, column {column}: {message}", inner)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the problem, 0 when unknown.</summary>
    public long Line { get; }

    /// <summary>1-based column of the problem, 0 when unknown.</summary>
    public long Column { get; }
}
