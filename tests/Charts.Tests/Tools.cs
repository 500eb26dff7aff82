using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Charts.Tests;

/// <summary>Result of a finished child process.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public string Describe() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Paths in the repository and the command-line tools the tests drive.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Injector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Injector.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootLazy.Value;

    public static string Chart => Path.Combine(Root, "charts", "injector");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static readonly Lazy<string> HelmLazy = new(() =>
    {
        var local = PathOf(".tools", "bin", "helm");
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "helm"))
            .Append(local);
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "helm is required by the chart tests but was found neither on PATH nor at .tools/bin/helm. " +
                "Run ./hack/install-tools (hack/test does this) and retry.");
    });

    /// <summary>The helm binary: PATH first, then .tools/bin/helm. Throws (the test fails) when absent.</summary>
    public static string Helm => HelmLazy.Value;

    public static ProcessResult Run(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.Append(e.Data).Append('\n'); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.Append(e.Data).Append('\n'); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', psi.ArgumentList)} timed out");
        }

        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Runs helm against charts/injector, caching renders by their arguments (helm is the slow part).</summary>
public static class HelmChart
{
    public const string Release = "injector";
    public const string Namespace = "sidecars-system";

    private static readonly ConcurrentDictionary<string, Lazy<ProcessResult>> Cache = new();

    /// <summary>`helm template` with `--set` pairs (and optional extra flags); cached.</summary>
    public static ProcessResult Template(params string[] sets) => TemplateWith([], sets);

    public static ProcessResult TemplateWith(string[] flags, params string[] sets)
    {
        var args = new List<string> { "template", Release, Repo.Chart, "--namespace", Namespace };
        args.AddRange(flags);
        foreach (var s in sets)
        {
            args.Add("--set");
            args.Add(s);
        }

        var key = string.Join('\u0001', args);
        return Cache.GetOrAdd(key, _ => new Lazy<ProcessResult>(() => Repo.Run(Repo.Helm, args))).Value;
    }

    /// <summary>Renders and parses; fails the test with helm's output when the render fails.</summary>
    public static Rendered Render(params string[] sets)
    {
        var result = Template(sets);
        Assert.True(result.ExitCode == 0, $"helm template {string.Join(' ', sets)} failed: {result.Describe()}");
        return Rendered.Parse(result.StdOut);
    }

    public static ProcessResult Lint(params string[] sets)
    {
        var args = new List<string> { "lint", Repo.Chart, "--strict", "--namespace", Namespace };
        foreach (var s in sets)
        {
            args.Add("--set");
            args.Add(s);
        }

        return Repo.Run(Repo.Helm, args);
    }
}
