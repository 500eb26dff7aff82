namespace Rollout.Output;

/// <summary><c>--log-level</c>: which events are written (the summary always is).</summary>
public enum Verbosity
{
    Debug,
    Info,
    Warn,
    Error,
}
