using Microsoft.Extensions.Logging;

namespace Canary.Hosting;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "canary-controller started: watching {Namespace}, leader election {LeaderElect}, identity {Identity}")]
    public static partial void Started(ILogger logger, string @namespace, bool leaderElect, string identity);

    [LoggerMessage(2, LogLevel.Information, "canary-controller stopped")]
    public static partial void Stopped(ILogger logger);
}
