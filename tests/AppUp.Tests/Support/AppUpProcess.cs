using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AppUp.Tests.Support;

/// <summary>
/// The real appup program as a child process. By default `dotnet appup.dll` from the test output (the
/// ProjectReference copies it there); set APPUP_BINARY to a published native binary to run the same tests
/// against it. Dispose kills the process if it is still running.
/// </summary>
internal sealed partial class AppUpProcess : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _stderr = [];
    private readonly List<string> _stdout = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpClient? _client;

    private AppUpProcess(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var binary = Environment.GetEnvironmentVariable("APPUP_BINARY");
        ProcessStartInfo start;
        if (!string.IsNullOrEmpty(binary))
        {
            start = new ProcessStartInfo(binary);
        }
        else
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "appup.dll");
            Assert.True(File.Exists(dll), $"appup.dll not found next to the tests in {AppContext.BaseDirectory}");
            start = new ProcessStartInfo(DotnetHost());
            start.ArgumentList.Add(dll);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        // A developer's own UP_* settings must not leak into the tests.
        start.Environment.Remove("UP_FILE");
        start.Environment.Remove("UP_PORT");
        start.Environment.Remove("UP_INITIAL");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data);
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data);
        _process.Exited += (_, _) => OnExited();
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Id => _process.Id;

    public int Port { get; private set; }

    /// <summary>Talks to 127.0.0.1:Port; appup listens on all interfaces, loopback included.</summary>
    public HttpClient Client => _client ??= new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = Deadline };

    public string Stderr
    {
        get
        {
            lock (_waiters)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    public string Stdout
    {
        get
        {
            lock (_waiters)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    public static AppUpProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args) => new(environment, args);

    /// <summary>Starts appup and waits for its start line; the port comes from that line (UP_PORT=0 picks a free one).</summary>
    public static async Task<AppUpProcess> StartServingAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var process = new AppUpProcess(environment, []);
        try
        {
            var line = await process.WaitForStderrAsync(l => l.Contains("appup started", StringComparison.Ordinal));
            process.Port = int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public Task<string> WaitForStderrAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            var existing = _stderr.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            if (_exited.Task.IsCompleted)
            {
                throw new InvalidOperationException($"appup exited ({_process.ExitCode}) without logging the expected line. stderr:\n{string.Join('\n', _stderr)}");
            }

            _waiters.Add((match, found));
        }

        return WithDeadline(found.Task);
    }

    /// <summary>Waits for exit and returns the exit code, once both output streams are fully read.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cancel = new CancellationTokenSource(Deadline);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public void Signal(PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGINT => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        };
        Assert.Equal(0, NativeMethods.Kill(_process.Id, number));
    }

    private async Task<string> WithDeadline(Task<string> task)
    {
        try
        {
            return await task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"appup did not log the expected line within {Deadline}. stderr:\n{Stderr}");
        }
    }

    private void OnLine(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> matched = [];
        lock (_waiters)
        {
            lines.Add(line);
            if (!ReferenceEquals(lines, _stderr))
            {
                return;
            }

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
        // Let the stream readers drain before failing waiters, so the message shows the whole stderr.
        _process.WaitForExit();
        List<TaskCompletionSource<string>> pending;
        lock (_waiters)
        {
            _exited.TrySetResult();
            pending = _waiters.Select(w => w.Found).ToList();
            _waiters.Clear();
        }

        var error = new InvalidOperationException($"appup exited ({_process.ExitCode}) before logging the expected line. stderr:\n{Stderr}");
        pending.ForEach(found => found.TrySetException(error));
    }

    private static string DotnetHost()
    {
        // `dotnet test` sets DOTNET_HOST_PATH; when run by other runners the test host usually is dotnet itself.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    public void Dispose()
    {
        _client?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(Deadline);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"port=(\d+)")]
    private static partial Regex PortPattern();

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
