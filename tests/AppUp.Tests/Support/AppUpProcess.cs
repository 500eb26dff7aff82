using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TestKit.Processes;

namespace AppUp.Tests.Support;

/// <summary>
/// The real appup program on the kit's <see cref="TestProcess"/>: by default `dotnet appup.dll` from the test output
/// (the ProjectReference copies it there); set APPUP_BINARY to a published native binary to run the same tests
/// against it. The developer's own UP_* settings never leak in. Dispose kills the process if it is still running.
/// </summary>
internal sealed partial class AppUpProcess : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TestProcess _process;
    private HttpClient? _client;

    private AppUpProcess(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var binary = Environment.GetEnvironmentVariable("APPUP_BINARY");
        var spec = string.IsNullOrEmpty(binary)
            ? ProcessSpec.DotnetFromTestOutput("appup.dll", args)
            : new ProcessSpec(binary, args);
        _process = TestProcess.Start(spec with
        {
            DisplayName = "appup",
            RemoveEnvironment = ["UP_FILE", "UP_PORT", "UP_INITIAL", "LOG_FORMAT", "LOG_LEVEL"],
            Environment = environment,
            KeepStandardInputOpen = true,
        });
    }

    public int Id => _process.Id;

    public int Port { get; private set; }

    /// <summary>Talks to 127.0.0.1:Port; appup listens on all interfaces, loopback included.</summary>
    public HttpClient Client => _client ??= new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = Deadline };

    public string Stderr => _process.StdErr;

    public string Stdout => _process.StdOut;

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

    public Task<string> WaitForStderrAsync(Func<string, bool> match) =>
        _process.WaitForLineAsync(match, "the expected stderr line", Deadline, OutputStream.StdErr);

    /// <summary>Waits for exit and returns the exit code, once both output streams are fully read.</summary>
    public Task<int> WaitForExitAsync() => _process.WaitForExitAsync(Deadline);

    public void Signal(PosixSignal signal) => _process.Signal(signal);

    public void Dispose()
    {
        _client?.Dispose();
        _process.Dispose();
    }

    [GeneratedRegex(@"port=(\d+)")]
    private static partial Regex PortPattern();
}
