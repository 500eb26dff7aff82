using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TestKit.Processes;

namespace AppUp.Tests.Support;

/// <summary>
/// The real appup program as a child process (TestKit's <see cref="TestProcess"/>): `dotnet appup.dll` from the test
/// output, or the published native binary named by APPUP_BINARY (the same tests against it). Dispose kills it.
/// </summary>
internal sealed partial class AppUpProcess : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TestProcess _process;
    private HttpClient? _client;

    private AppUpProcess(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var spec = Environment.GetEnvironmentVariable("APPUP_BINARY") is { Length: > 0 } binary
            ? new ProcessSpec(binary, args)
            : ProcessSpec.DotnetFromTestOutput("appup.dll", args);
        _process = TestProcess.Start(spec with
        {
            DisplayName = "appup",
            // A developer's own settings must not leak into the tests.
            RemoveEnvironment = ["UP_FILE", "UP_PORT", "UP_INITIAL", "LOG_FORMAT", "LOG_LEVEL"],
            Environment = environment,
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
        _process.WaitForLineAsync(match, "appup's stderr line", Deadline, OutputStream.StdErr);

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
