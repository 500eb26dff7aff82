namespace Sidecars.Runtime.Logging;

/// <summary>The sidecars' log levels, most severe first (names in <see cref="Sidecars.Contract.LogContract"/>).</summary>
public enum LogLevel
{
    Error = 0,
    Warn = 1,
    Info = 2,
    Debug = 3,
    Trace = 4,
}
