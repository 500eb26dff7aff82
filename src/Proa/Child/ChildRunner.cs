using Sidecars.Runtime.Errors;
using System.ComponentModel;
using System.Diagnostics;

namespace Proa.Child;

/// <summary>Runs the wrapped command with proa's stdio and environment and returns its exit status.</summary>
internal static class ChildRunner
{
    /// <summary>Returns the child's exit code (128+N when killed by signal N), or null if a signal arrived first.</summary>
    public static async Task<int?> RunAsync(string path, IReadOnlyList<string> arguments, SignalForwarder signals)
    {
        var info = new ProcessStartInfo(path)
        {
            // No shell, no redirection: the child writes straight to the container's stdout/stderr.
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = signals.StartChild(() => Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null"));
        }
        catch (Win32Exception e)
        {
            throw new ChildStartException($"cannot execute '{path}': {ErrorText.Describe(e)}", e);
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            var started = Stopwatch.GetTimestamp();
            Log.Info($"started {path} (pid {process.Id})");
            await process.WaitForExitAsync(CancellationToken.None);
            signals.ChildExited();
            // .NET already reports a signal death as 128+N, the shell convention.
            var code = process.ExitCode;
            Log.Info($"command exited with code {code} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.###}s");
            return code;
        }
    }
}
