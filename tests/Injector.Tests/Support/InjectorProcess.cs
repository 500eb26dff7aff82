using System.Collections.Concurrent;
using System.Diagnostics;

namespace Injector.Tests.Support;

/// <summary>The real injector program as a child process (<c>dotnet injector.dll</c> from the test output).</summary>
internal sealed class InjectorProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    /// <param name="env">Environment changes for the child; a null value removes the variable.</param>
    public InjectorProcess(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string?>? env = null)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "injector.dll"));
        foreach (var (name, value) in env ?? new Dictionary<string, string?>())
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

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue("stderr: " + e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (stdin is not null)
        {
            _process.StandardInput.Write(stdin);
            _process.StandardInput.Close();
        }
    }

    public int Id => _process.Id;

    public IEnumerable<string> Lines => _output;

    public string Output => string.Join("\n", _output);

    /// <summary>What the process wrote to stderr, line by line.</summary>
    public IReadOnlyList<string> ErrorLines => [.. _output.Where(l => l.StartsWith("stderr: ", StringComparison.Ordinal)).Select(l => l["stderr: ".Length..])];

    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        string? found = null;
        await Wait.UntilAsync(() =>
        {
            found = _output.FirstOrDefault(match);
            return Task.FromResult(found is not null || _process.HasExited);
        }, what, TimeSpan.FromSeconds(60));
        return found ?? throw new InvalidOperationException($"injector exited ({_process.ExitCode}) before {what}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flush the asynchronous output readers
        return _process.ExitCode;
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
