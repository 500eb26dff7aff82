using System.Runtime.InteropServices;

namespace Proa.Child;

internal static partial class NativeMethods
{
    public const int SIGPIPE = 13;
    public const int ESRCH = 3;
    public static readonly nint SIG_DFL = 0;

    /// <summary>kill(2): .NET has no public API to send an arbitrary signal to another process.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    /// <summary>signal(2), only used to set and restore SIGPIPE's disposition around starting the child.</summary>
    [LibraryImport("libc", EntryPoint = "signal")]
    internal static partial nint Signal(int signal, nint handler);
}
