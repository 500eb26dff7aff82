namespace Shawarma.Logging;

/// <summary>The original's logrus levels; lower is more severe.</summary>
internal enum LogLevel
{
    Panic = 0,
    Fatal = 1,
    Error = 2,
    Warn = 3,
    Info = 4,
    Debug = 5,
    Trace = 6,
}
