using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Shawarma.Tests.Fakes;

/// <summary>
/// The real shawarma program as a child process: the published native binary when <c>SHAWARMA_BIN</c> is set,
/// else the build output next to the tests (apphost, or <c>dotnet exec shawarma.dll</c>).
/// </summary>
internal sealed class ShawarmaProcess : IAsyncDisposable
{
    private static readonly string[] InheritedSettings =
    [
        "SHAWARMA_SERVICE", "SHAWARMA_SERVICE_LABELS", "MY_POD_NAME", "MY_POD_NAMESPACE", "SHAWARMA_URL",
        "SHAWARMA_DISABLE_STATE_NOTIFIER", "SHAWARMA_LISTEN_PORT", "LOG_LEVEL", "KUBECONFIG",
        "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
    ];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ShawarmaProcess(Process process) => _process = process;

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static ShawarmaProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var (file, prefix) = Locate();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var name in InheritedSettings)
        {
            info.Environment.Remove(name);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info };
        var wrapper = new ShawarmaProcess(process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { wrapper._output.Enqueue(e.Data); } };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { wrapper._output.Enqueue(e.Data); } };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return wrapper;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"shawarma did not exit within {timeout}; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static (string File, string[] Prefix) Locate()
    {
        if (Environment.GetEnvironmentVariable("SHAWARMA_BIN") is { Length: > 0 } bin)
        {
            return (bin, []);
        }

        var dir = AppContext.BaseDirectory;
        var apphost = Path.Combine(dir, "shawarma");
        if (File.Exists(apphost))
        {
            return (apphost, []);
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        return (host, ["exec", Path.Combine(dir, "shawarma.dll")]);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
