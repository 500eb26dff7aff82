namespace Proa;

/// <summary>
/// proa writes only to stderr so the wrapped command owns stdout; every line is prefixed so it is easy to tell
/// proa's lines from the command's in a shared container log.
/// </summary>
internal static class Log
{
    private static readonly object Gate = new();

    public static bool Verbose { get; set; }

    public static void Info(string message) => Write(message);

    public static void Debug(string message)
    {
        if (Verbose)
        {
            Write(message);
        }
    }

    public static void Error(string message) => Write("error: " + message);

    private static void Write(string message)
    {
        lock (Gate)
        {
            Console.Error.WriteLine("proa: " + message);
        }
    }
}
