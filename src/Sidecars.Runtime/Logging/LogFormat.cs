namespace Sidecars.Runtime.Logging;

/// <summary>How a log line is written.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line: <c>{"time":...,"level":...,"logger":...,"msg":...}</c>. The default when
    /// stderr is not a terminal, which is the case in a container.</summary>
    Json,

    /// <summary><c>2025-05-01T10:00:00.000Z info  proa: message</c>. The default on a terminal.</summary>
    Text,
}
