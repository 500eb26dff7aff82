using System.Runtime.InteropServices;

namespace TestKit.Processes;

/// <summary>
/// Children inherit ignored signals across exec, and .NET keeps a signal ignored that was ignored at start (as nohup
/// expects). A test run started in the background (<c>cmd &amp;</c> ignores SIGINT and SIGQUIT, nohup SIGHUP; an MSBuild
/// node reused from such a run passes that on to the test host) would then start every program under test deaf to
/// those signals, and the signal tests would fail for reasons that are not the program's. So before each child
/// starts, a signal this process ignores is set back to its default action; a handler the runtime installed is left
/// alone.
/// </summary>
internal static class SignalDispositions
{
    private static readonly int[] Signals = [1 /* SIGHUP */, 2 /* SIGINT */, 3 /* SIGQUIT */, 15 /* SIGTERM */];
    /// <summary>Four sigaction calls; done before every start, so a signal ignored later is caught too.</summary>
    public static void EnsureDefaults()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var signal in Signals)
        {
            var current = new SigAction();
            if (NativeMethods.Sigaction(signal, IntPtr.Zero, ref current) == 0 && current.Handler == SigIgn)
            {
                var defaults = new SigAction { Handler = SigDfl };
                if (NativeMethods.Sigaction(signal, ref defaults, IntPtr.Zero) != 0)
                {
                    throw new InvalidOperationException($"sigaction({signal}, SIG_DFL) failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }
        }
    }

    /// <summary>For tests: makes this process ignore <paramref name="signal"/>, as a background shell would.</summary>
    internal static void Ignore(int signal)
    {
        var ignore = new SigAction { Handler = SigIgn };
        if (NativeMethods.Sigaction(signal, ref ignore, IntPtr.Zero) != 0)
        {
            throw new InvalidOperationException($"sigaction({signal}, SIG_IGN) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static readonly IntPtr SigDfl = IntPtr.Zero;
    private static readonly IntPtr SigIgn = new(1);

    /// <summary>glibc's struct sigaction on 64-bit Linux: handler, 1024-bit mask, flags, restorer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct SigAction
    {
        public IntPtr Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public IntPtr Restorer;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "sigaction", SetLastError = true)]
        public static extern int Sigaction(int signal, IntPtr action, ref SigAction old);

        [DllImport("libc", EntryPoint = "sigaction", SetLastError = true)]
        public static extern int Sigaction(int signal, ref SigAction action, IntPtr old);
    }
}
