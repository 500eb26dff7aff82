using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TestKit.Processes;

/// <summary>
/// A real child process: captures stdout and stderr line by line, waits for a line or for exit with a deadline, sends
/// POSIX signals, and always kills the whole process tree on Dispose. Every failure message carries the output.
/// </summary>
public sealed class TestProcess : IDisposable, IAsyncDisposable
{
    /// <summary>The default deadline of every wait.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<OutputLine> _lines = [];
    private readonly List<(Func<OutputLine, bool> Match, TaskCompletionSource<OutputLine> Found)> _waiters = [];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;
    private bool _disposed;

    private TestProcess(ProcessSpec spec)
    {
        _name = spec.DisplayName ?? Path.GetFileName(spec.FileName);
        var info = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = spec.StandardInput is not null || spec.KeepStandardInputOpen,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in spec.RemoveEnvironment)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        SignalDispositions.EnsureDefaults();
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(OutputStream.StdOut, e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(OutputStream.StdErr, e.Data);
        _process.Exited += (_, _) => OnExited();
        if (!_process.Start())
        {
            throw new InvalidOperationException($"cannot start {spec.FileName}");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (spec.StandardInput is not null)
        {
            _process.StandardInput.Write(spec.StandardInput);
            if (!spec.KeepStandardInputOpen)
            {
                _process.StandardInput.Close();
            }
        }
    }

    /// <summary>Starts the process; the caller disposes it (which kills it if still running).</summary>
    public static TestProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TestProcess(spec);
    }

    /// <summary>Runs a process to completion and returns its exit code and output; kills it at the deadline.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (the message has its output so far).</exception>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var process = Start(spec);
        var code = await process.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return new ProcessResult(code, process.StdOut, process.StdErr);
    }

    /// <summary>Synchronous <see cref="RunAsync"/> for callers that cannot await (lazy caches).</summary>
    public static ProcessResult Run(ProcessSpec spec, TimeSpan? timeout = null) => RunAsync(spec, timeout).GetAwaiter().GetResult();

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code; throws while the process runs.</summary>
    public int ExitCode => _exited.Task.IsCompleted ? _exited.Task.Result : throw new InvalidOperationException($"{_name} is still running");

    /// <summary>Standard input, when started with <see cref="ProcessSpec.KeepStandardInputOpen"/>.</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Every line so far, both streams, in arrival order.</summary>
    public IReadOnlyList<OutputLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string StdOut => Join(OutputStream.StdOut);

    public string StdErr => Join(OutputStream.StdErr);

    /// <summary>Both streams interleaved as received, stderr lines prefixed, for messages.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Waits for the first line (already seen or future) that matches; fails if the process exits first.</summary>
    /// <exception cref="TimeoutException">No such line before the deadline.</exception>
    /// <exception cref="InvalidOperationException">The process exited without writing it.</exception>
    public Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan? timeout = null, OutputStream? stream = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        return WaitForLineCoreAsync(line => (stream is null || line.Stream == stream) && match(line.Text), what, timeout, cancellationToken);
    }

    /// <summary>Waits for a line containing <paramref name="text"/> (ordinal).</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan? timeout = null, OutputStream? stream = null, CancellationToken cancellationToken = default) =>
        WaitForLineAsync(line => line.Contains(text, StringComparison.Ordinal), $"a line containing \"{text}\"", timeout, stream, cancellationToken);

    private async Task<string> WaitForLineCoreAsync(Func<OutputLine, bool> match, string what, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<OutputLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _lines.FirstOrDefault(match);
            if (existing is not null)
            {
                return existing.Text;
            }

            if (_exited.Task.IsCompleted)
            {
                throw ExitedBefore(what);
            }

            _waiters.Add((match, found));
        }

        var limit = timeout ?? DefaultTimeout;
        try
        {
            return (await found.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false)).Text;
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Found == found);
            }

            throw new TimeoutException($"{_name} did not write {what} within {limit.TotalSeconds:0.#}s. output:\n{Output}");
        }
    }

    /// <summary>Waits for exit (and for both streams to be read to the end) and returns the exit code.</summary>
    /// <exception cref="TimeoutException">Still running at the deadline (the process is left running; Dispose kills it).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await _exited.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_name} did not exit within {limit.TotalSeconds:0.#}s. output:\n{Output}");
        }
    }

    /// <summary>Sends a POSIX signal (SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL) to the process.</summary>
    public void Signal(PosixSignal signal) => Signal(signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "unsupported signal"),
    });

    /// <summary>Sends signal number <paramref name="signal"/> (9 = SIGKILL, 10 = SIGUSR1 on Linux, ...).</summary>
    public void Signal(int signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("POSIX signals need Linux or macOS");
        }

        if (NativeMethods.Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Kills the process tree now (no-op when it already exited).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        try
        {
            _process.WaitForExit(DefaultTimeout);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private string Join(OutputStream stream)
    {
        lock (_gate)
        {
            return string.Join('\n', _lines.Where(l => l.Stream == stream).Select(l => l.Text));
        }
    }

    private void OnLine(OutputStream stream, string? text)
    {
        if (text is null)
        {
            return;
        }

        var line = new OutputLine(stream, text);
        List<TaskCompletionSource<OutputLine>> matched = [];
        lock (_gate)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    matched.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }

        matched.ForEach(found => found.TrySetResult(line));
    }

    private void OnExited()
    {
        // WaitForExit() without a timeout also waits for the asynchronous readers to reach end of stream.
        _process.WaitForExit();
        List<TaskCompletionSource<OutputLine>> pending;
        lock (_gate)
        {
            pending = _waiters.Select(w => w.Found).ToList();
            _waiters.Clear();
        }

        var code = _process.ExitCode;
        _exited.TrySetResult(code);
        pending.ForEach(found => found.TrySetException(ExitedBefore("the expected line")));
    }

    private InvalidOperationException ExitedBefore(string what) =>
        new($"{_name} exited ({(_exited.Task.IsCompleted ? _exited.Task.Result : _process.ExitCode)}) before writing {what}. output:\n{Output}");

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
