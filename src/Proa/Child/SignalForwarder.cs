using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Proa.Child;

/// <summary>
/// Catches SIGTERM, SIGINT, SIGHUP and SIGQUIT for proa's whole life (cancelling .NET's default handling, which would
/// exit proa and orphan the child). While a child runs, the signal is passed on to it with kill(2); before it runs or
/// after it exited, the signal cancels <see cref="Stopped"/> so the current wait ends promptly.
/// </summary>
internal sealed class SignalForwarder : IDisposable
{
    private readonly object _gate = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly CancellationTokenSource _stopped = new();
    private int _childPid;
    private int _receivedSignal;

    public SignalForwarder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, Handle));
        }
    }

    /// <summary>Cancelled when a signal arrives while no child is running.</summary>
    public CancellationToken Stopped => _stopped.Token;

    /// <summary>The last signal number received, 0 if none.</summary>
    public int ReceivedSignal
    {
        get
        {
            lock (_gate)
            {
                return _receivedSignal;
            }
        }
    }

    /// <summary>
    /// Starts the child under the lock so a signal is either seen before (child not started, returns null) or
    /// forwarded to it; there is no window in which it would be lost.
    /// </summary>
    public Process? StartChild(Func<Process> start)
    {
        lock (_gate)
        {
            if (_receivedSignal != 0)
            {
                return null;
            }

            // The .NET runtime ignores SIGPIPE and a child inherits ignored signals, so `yes | head` in the wrapped
            // command would behave differently than under the kubelet. Restore the default just for the fork/exec.
            var previous = NativeMethods.Signal(NativeMethods.SIGPIPE, NativeMethods.SIG_DFL);
            try
            {
                var process = start();
                _childPid = process.Id;
                return process;
            }
            finally
            {
                NativeMethods.Signal(NativeMethods.SIGPIPE, previous);
            }
        }
    }

    /// <summary>Call once the child has exited; later signals cancel <see cref="Stopped"/>.</summary>
    public void ChildExited()
    {
        lock (_gate)
        {
            _childPid = 0;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopped.Dispose();
    }

    internal static int ToNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => (int)signal, // raw numbers registered directly are positive already
    };

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = ToNumber(context.Signal);
        int pid;
        lock (_gate)
        {
            _receivedSignal = number;
            pid = _childPid;
            if (pid > 0)
            {
                if (NativeMethods.Kill(pid, number) == 0)
                {
                    Log.Info($"forwarded signal {number} to the command (pid {pid})");
                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != NativeMethods.ESRCH)
                {
                    Log.Error($"could not forward signal {number} to pid {pid}: errno {errno}");
                    return;
                }

                // ESRCH: the child has just exited and ChildExited() has not run yet; treat as "no child".
            }
        }

        Log.Info($"received signal {number}, stopping");
        try
        {
            _stopped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Signal raced with shutdown; nothing left to stop.
        }
    }
}
