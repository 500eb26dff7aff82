using System.Text.Json.Nodes;
using Injector.Core.Yaml;
using TestKit.Processes;

namespace Rollout.Tests.Support;

/// <summary>Renders the chart with helm (installed into .tools/bin by hack/install-tools, or on PATH).</summary>
public static class Helm
{
    public static string Binary
    {
        get
        {
            var local = RepositoryPaths.Of(".tools", "bin", "helm");
            if (File.Exists(local))
            {
                return local;
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "helm")).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("helm not found: run ./hack/install-tools (./hack/test does)");
        }
    }

    public static async Task<ProcessResult> TemplateAsync(params string[] sets)
    {
        List<string> args = ["template", "injector", RepositoryPaths.Of("charts", "injector"), "--namespace", "sidecars-system"];
        foreach (var set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }

        return await TestProcess.RunAsync(new ProcessSpec(Binary, args) { WorkingDirectory = RepositoryPaths.Root });
    }

    /// <summary>The objects rendered from the rollout-* templates.</summary>
    public static async Task<List<JsonObject>> RolloutObjectsAsync(params string[] sets)
    {
        var result = await TemplateAsync(sets);
        Assert.True(result.ExitCode == 0, result.Describe());
        return Rollout(result.StdOut);
    }

    public static List<JsonObject> Rollout(string yaml) =>
        yaml.Split("\n---\n").Where(d => d.Contains("# Source: injector/templates/rollout-", StringComparison.Ordinal))
            .SelectMany(d => YamlJson.ParseAll(d)).OfType<JsonObject>().ToList();
}
