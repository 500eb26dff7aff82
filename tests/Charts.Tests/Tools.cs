namespace Charts.Tests;

/// <summary>Paths in the repository and the command-line tools the tests drive.</summary>
public static class Repo
{
    public static string Root => RepositoryPaths.Root;

    public static string Chart => Path.Combine(Root, "charts", "injector");

    public static string PathOf(params string[] parts) => RepositoryPaths.Of(parts);

    /// <summary>The helm binary (the kit's lookup: PATH, then .tools/bin/helm).</summary>
    public static string Helm => TestKit.Tools.Helm.Binary;

    /// <summary>Runs a tool to completion (the kit's process runner; killed at the deadline), from the repository root by default.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null) =>
        TestProcess.Run(new ProcessSpec(fileName, args.ToList())
        {
            WorkingDirectory = workingDirectory ?? Root,
            Environment = env?.ToDictionary(p => p.Key, p => (string?)p.Value) ?? new Dictionary<string, string?>(),
        }, timeout ?? TimeSpan.FromMinutes(2));
}

/// <summary>Renders charts/injector through the kit's cached helm runner and parses what comes out.</summary>
public static class HelmChart
{
    public const string Release = TestKit.Tools.Helm.Release;
    public const string Namespace = TestKit.Tools.Helm.Namespace;

    /// <summary>`helm template` with `--set` pairs (and optional extra flags); cached.</summary>
    public static ProcessResult Template(params string[] sets) => TestKit.Tools.Helm.Template(sets);

    public static ProcessResult TemplateWith(string[] flags, params string[] sets) => TestKit.Tools.Helm.TemplateWith(flags, sets);

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

        return TestKit.Tools.Helm.Run(args);
    }
}
