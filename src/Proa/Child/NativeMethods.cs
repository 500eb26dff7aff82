using System.Runtime.InteropServices;

namespace Proa.Child;

internal static partial class NativeMethods
{
    /// <summary>kill(2): .NET has no public API to send an arbitrary signal to another process.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
