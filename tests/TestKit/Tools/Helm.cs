using System.Collections.Concurrent;
using TestKit.Processes;

namespace TestKit.Tools;

/// <summary>
/// helm (installed into .tools/bin by hack/install-tools, or on PATH) run against charts/injector. Renders are cached
/// by their arguments: helm is the slow part of the chart tests, and many tests render the same values.
/// </summary>
public static class Helm
{
    /// <summary>The release name and namespace every render uses.</summary>
    public const string Release = "injector";

    public const string Namespace = "sidecars-system";

    private static readonly ConcurrentDictionary<string, Lazy<ProcessResult>> Cache = new();

    private static readonly Lazy<string> BinaryLazy = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "helm"))
            .Append(RepositoryPaths.Of(".tools", "bin", "helm"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "helm is required by the chart tests but was found neither on PATH nor at .tools/bin/helm. " +
            "Run ./hack/install-tools (hack/test does this) and retry."));

    /// <summary>The helm binary: PATH first, then .tools/bin/helm. Throws (the test fails) when absent.</summary>
    public static string Binary => BinaryLazy.Value;

    /// <summary>The chart's folder.</summary>
    public static string Chart => RepositoryPaths.Of("charts", "injector");

    /// <summary>PATH with helm's folder first, for scripts that call helm themselves (hack/render-manifests).</summary>
    public static string PathWithHelm => Path.GetDirectoryName(Binary) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

    /// <summary><c>helm template</c> of charts/injector with <c>--set</c> pairs; cached.</summary>
    public static ProcessResult Template(params string[] sets) => TemplateWith([], sets);

    /// <summary><c>helm template</c> with extra flags (e.g. <c>--show-only</c>) and <c>--set</c> pairs; cached.</summary>
    public static ProcessResult TemplateWith(IEnumerable<string> flags, params string[] sets)
    {
        var args = new List<string> { "template", Release, Chart, "--namespace", Namespace };
        args.AddRange(flags);
        foreach (var set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }

        return Cache.GetOrAdd(string.Join('\u0001', args), _ => new Lazy<ProcessResult>(() => Run(args))).Value;
    }

    /// <summary>Runs helm to completion from the repository root (killed after two minutes).</summary>
    public static ProcessResult Run(IEnumerable<string> args) =>
        TestProcess.Run(new ProcessSpec(Binary, args.ToList()) { WorkingDirectory = RepositoryPaths.Root }, TimeSpan.FromMinutes(2));
}
