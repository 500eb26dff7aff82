using Microsoft.Extensions.Time.Testing;
using Rollout.Cli;

namespace Rollout.Tests.Support;

/// <summary>One in-process run of the program with captured output.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(IEnumerable<string> args, TimeProvider? time = null, IReadOnlyDictionary<string, string>? environment = null,
        bool terminal = false, CancellationToken stopStarting = default, CancellationToken abort = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        var console = new RolloutConsole(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), terminal, terminal,
            name => env.TryGetValue(name, out var value) ? value : null, time ?? TimeProvider.System);
        var code = await RolloutProgram.RunAsync(args.ToList(), console, stopStarting, abort);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A run against <paramref name="world"/> (its kubeconfig; a short poll interval).</summary>
    public static Task<CliRun> AgainstAsync(World world, params string[] args) =>
        RunAsync(["--kubeconfig", world.Kubeconfig, "--poll-interval", "50ms", .. args]);

    /// <summary>The rows of the tables on stdout (columns are two or more spaces apart).</summary>
    public IReadOnlyList<string[]> Rows => Out.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith("RESULT", StringComparison.Ordinal) && !l.StartsWith("WOULD RESTART", StringComparison.Ordinal) && !l.StartsWith("SKIPPED", StringComparison.Ordinal))
        .Select(l => System.Text.RegularExpressions.Regex.Split(l.TrimEnd(), " {2,}"))
        .Where(cells => cells.Length >= 2)
        .ToList();

    /// <summary>The last cell of the summary row with this result and subject (e.g. "skipped", "Deployment shop/web"), or null.</summary>
    public string? Detail(string result, string subject) =>
        Rows.FirstOrDefault(r => r.Length >= 3 && r[0] == result && r[1] == subject)?[^1];

    /// <summary>The WHY of a dry-run table row (would restart or skipped) for this subject, or null.</summary>
    public string? Why(string subject) => Rows.FirstOrDefault(r => r[0] == subject)?[^1];

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";

    internal static FakeTimeProvider Clock() => new(new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero));
}
