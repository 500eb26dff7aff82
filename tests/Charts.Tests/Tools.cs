using System.Collections.Concurrent;

namespace Charts.Tests;

/// <summary>Paths in the repository and the command-line tools the tests drive.</summary>
public static class Repo
{
    public static string Root => RepositoryPaths.Root;

    public static string Chart => Path.Combine(Root, "charts", "injector");

    public static string PathOf(params string[] parts) => RepositoryPaths.Of(parts);

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

    /// <summary>Runs a tool to completion (the kit's process runner; killed at the deadline), from the repository root by default.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null) =>
        TestProcess.Run(new ProcessSpec(fileName, args.ToList())
        {
            WorkingDirectory = workingDirectory ?? Root,
            Environment = env?.ToDictionary(p => p.Key, p => (string?)p.Value) ?? new Dictionary<string, string?>(),
        }, timeout ?? TimeSpan.FromMinutes(2));
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
