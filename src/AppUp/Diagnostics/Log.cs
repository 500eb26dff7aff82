using System.Globalization;

namespace AppUp.Diagnostics;

/// <summary>
/// One line per event on stderr, "time level message". No logging framework: this sidecar logs a start line,
/// state changes and errors, and every dependency costs binary size and start time.
/// </summary>
internal static class Log
{
    public static void Info(string message) => Write("info", message);

    public static void Error(string message) => Write("error", message);

    private static void Write(string level, string message) =>
        // Console.Error is synchronized and unbuffered, so lines from different threads do not interleave.
        Console.Error.WriteLine($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {level} {message}");
}
