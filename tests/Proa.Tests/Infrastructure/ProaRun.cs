using System.Collections.Concurrent;
using System.Diagnostics;
using Proa.Child;

namespace Proa.Tests.Infrastructure;

/// <summary>
/// The real proa program as a child process: <c>dotnet proa.dll</c> from the test output (the project reference
/// copies it), or the native binary named by <c>PROA_TEST_BINARY</c> (to run the same tests against the AOT build).
/// stdout and stderr are captured line by line; the wrapped command's output lands in stdout because it inherits
/// proa's descriptors.
/// </summary>
internal sealed class ProaRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ProaRun(Process process) => _process = process;

    public Pulse Output { get; } = new();

    public int Pid => _process.Id;

    public string Stderr => string.Join('\n', _stderr);

    public string Stdout => string.Join('\n', _stdout);

    public bool HasExited => _process.HasExited;

    public static ProaRun Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var native = Environment.GetEnvironmentVariable("PROA_TEST_BINARY");
        if (!string.IsNullOrEmpty(native))
        {
            info.FileName = native;
        }
        else
        {
            info.FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "proa.dll"));
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Nothing from the test host's own cluster configuration may leak in.
        foreach (var key in new[] { "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAME", "POD_NAMESPACE", "PROA_CONTAINER_NAME", "PROA_SKIP_WAIT" })
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new ProaRun(process);
        process.ErrorDataReceived += (_, e) => run.Append(e.Data, run._stderr, run._stderrClosed);
        process.OutputDataReceived += (_, e) => run.Append(e.Data, run._stdout, run._stdoutClosed);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return run;
    }

    public Task WaitForStderrAsync(string fragment, TimeSpan timeout) =>
        Output.WaitUntilAsync(() => _stderr.Any(l => l.Contains(fragment, StringComparison.Ordinal)), timeout, $"proa stderr to contain '{fragment}'; stderr so far:\n{Stderr}");

    public Task WaitForStdoutAsync(string fragment, TimeSpan timeout) =>
        Output.WaitUntilAsync(() => _stdout.Any(l => l.Contains(fragment, StringComparison.Ordinal)), timeout, $"stdout to contain '{fragment}'; stderr so far:\n{Stderr}");

    /// <summary>Waits for exit and for both pipes to drain; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stderrClosed.Task, _stdoutClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"proa did not exit within {timeout.TotalSeconds:0}s; stderr:\n{Stderr}");
        }

        return _process.ExitCode;
    }

    public void Signal(int signal) => Assert.Equal(0, NativeMethods.Kill(_process.Id, signal));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line, ConcurrentQueue<string> lines, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
        }
        else
        {
            lines.Enqueue(line);
        }

        Output.Signal();
    }
}
