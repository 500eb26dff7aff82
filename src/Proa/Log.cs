using Sidecars.Contract;
using Sidecars.Runtime.Logging;

namespace Proa;

/// <summary>
/// proa's handle on the sidecars' shared logger (<see cref="SidecarLog"/>). proa writes only to stderr so the wrapped
/// command owns stdout; each line names proa, so its lines are easy to tell from the command's in one container log.
/// </summary>
internal static class Log
{
    public static SidecarLog Current { get; set; } = new(SidecarNames.Proa, LogLevel.Info, LogSettings.DefaultFormat);

    public static void Info(string message) => Current.Info(message);

    public static void Debug(string message) => Current.Debug(message);

    public static void Warn(string message) => Current.Warn(message);

    public static void Error(string message) => Current.Error(message);
}
