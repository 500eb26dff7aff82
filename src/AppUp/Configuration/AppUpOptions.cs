using Sidecars.Runtime.Logging;

namespace AppUp.Configuration;

/// <summary>Validated settings. <see cref="Port"/> 0 means "any free port" (the chosen one is logged); tests use it.</summary>
internal sealed record AppUpOptions(string File, int Port, InitialState Initial, LogLevel LogLevel, LogFormat LogFormat);
