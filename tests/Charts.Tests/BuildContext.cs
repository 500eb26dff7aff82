using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Charts.Tests;

/// <summary>
/// A temporary copy of what a build stage's COPY lines take from the repository (without bin/, obj/ and TestResults/,
/// as the .dockerignore says), and the replay of its RUN lines there: bash with the build arguments as environment
/// variables (BuildKit passes a stage's ARGs to RUN that way), /out and /image redirected into the copy.
/// </summary>
internal sealed partial class BuildContext : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ctx-").FullName;
    private readonly DockerfileStage stage;

    public BuildContext(DockerfileStage stage)
    {
        this.stage = stage;
        foreach (var copy in stage.Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
            foreach (var source in parts[..^1])
            {
                CopyIntoContext(source);
            }
        }
    }

    /// <summary>Where the stage's /out lands.</summary>
    public string Out => Path.Combine(root, "__out");

    /// <summary>Where the stage's /image lands: the final image's file system.</summary>
    public string Image => Path.Combine(root, "__image");

    /// <summary>Runs the stage's RUN lines in order with PROJECT, RUNTIME and this machine's TARGETARCH; stops at the first that fails.</summary>
    public ProcessResult Replay(string project, string runtime)
    {
        var env = new Dictionary<string, string>
        {
            ["PROJECT"] = project,
            ["RUNTIME"] = runtime,
            ["TARGETARCH"] = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64",
        };
        ProcessResult? result = null;
        foreach (var run in stage.Runs)
        {
            var command = RunPrefix().Replace(run, "")
                .Replace("/out", Out, StringComparison.Ordinal)
                .Replace("/image", Image, StringComparison.Ordinal);
            result = Repo.Run("bash", ["-euo", "pipefail", "-c", command], workingDirectory: root, env: env, timeout: TimeSpan.FromMinutes(6));
            if (result.ExitCode != 0)
            {
                break;
            }
        }

        Assert.NotNull(result);
        return result;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void CopyIntoContext(string source)
    {
        var from = Repo.PathOf(source.TrimEnd('/'));
        var to = Path.Combine(root, source.TrimEnd('/'));
        if (File.Exists(from))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
            return;
        }

        Assert.True(Directory.Exists(from), $"COPY source {source} does not exist in the repository");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj" or "TestResults"))
            {
                continue;
            }

            var dest = Path.Combine(to, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
        }
    }

    /// <summary><c>RUN</c> and its <c>--mount</c> flags (the NuGet cache mount has no meaning here).</summary>
    [GeneratedRegex(@"^RUN\s+(?:--mount=\S+\s*)*")]
    private static partial Regex RunPrefix();
}
