using System.Text.RegularExpressions;

namespace Charts.Tests;

/// <summary>
/// No Docker engine runs here, so each Dockerfile's build stage is replayed: its COPY lines populate a temporary
/// build context (honouring the Dockerfile's .dockerignore basics: no bin/ or obj/), then its RUN lines run there with
/// the build arguments (TARGETARCH=amd64, PROJECT for the sidecars' one file) and /out and /image redirected, and
/// the final stage's COPY source must hold the program. One publish per program: they are slow.
/// </summary>
public sealed partial class DockerfileTests
{
    /// <summary>The three sidecars share one Dockerfile with a PROJECT build argument; every other program has its own.</summary>
    private const string Sidecars = "Sidecars.Dockerfile";

    public static TheoryData<string, string, bool> Images => new()
    {
        // project, binary, native AOT
        { "AppUp", "appup", true },
        { "Shawarma", "shawarma", true },
        { "Proa", "proa", true },
        { "Injector", "injector", true },
        { "Canary", "canary-controller", false },
        { "Rollout", "sidecar-rollout", false },
    };

    private static string DockerfileOf(string project) => project is "AppUp" or "Shawarma" or "Proa" ? Repo.PathOf("src", Sidecars) : Repo.PathOf("src", project, "Dockerfile");

    /// <summary>The sidecars' image layout: the binary in /usr/local/bin and a <c>sidecar</c> entrypoint link to it.</summary>
    private static bool IsSidecarImage(string project) => DockerfileOf(project) == Repo.PathOf("src", Sidecars);

    private static string[] Lines(string project) =>
        Joined(File.ReadAllText(DockerfileOf(project)))
            .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static string Joined(string text) => text.Replace("\\\n", " ", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_is_multi_stage_chiseled_and_non_root(string project, string binary, bool aot)
    {
        var lines = Lines(project);
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, froms.Count);
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0", froms[0]);
        Assert.EndsWith(" AS build", froms[0]);
        Assert.Equal(
            aot ? "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled" : "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
            froms[1]);

        var final = lines.SkipWhile(l => l != froms[1]).ToList();
        var user = Assert.Single(final, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Matches(@"^USER [1-9][0-9]*:[1-9][0-9]*$", user); // numeric, so runAsNonRoot can verify it
        var entrypoint = Assert.Single(final, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        Assert.Contains(IsSidecarImage(project) ? "/usr/local/bin/sidecar\"" : $"/{binary}\"", entrypoint);
        Assert.True(File.Exists(DockerfileOf(project) + ".dockerignore") || File.Exists(Path.Combine(Path.GetDirectoryName(DockerfileOf(project))!, "Dockerfile.dockerignore")));
    }

    [Fact]
    public void The_sidecars_share_one_dockerfile_and_no_per_project_copies_remain()
    {
        foreach (var project in new[] { "AppUp", "Shawarma", "Proa" })
        {
            Assert.False(File.Exists(Repo.PathOf("src", project, "Dockerfile")), $"src/{project}/Dockerfile is a copy of {Sidecars}");
        }

        Assert.Contains(Lines("Proa"), l => l == "ARG PROJECT");
    }

    /// <summary>Slow (native AOT publishes, ~20-60 s each on 2 cores); filter with Category!=Publish to skip locally.</summary>
    [Theory]
    [Trait("Category", "Publish")]
    [MemberData(nameof(Images))]
    public void Publish_step_works(string project, string binary, bool aot)
    {
        var lines = Lines(project);
        var buildStage = lines.TakeWhile((l, i) => i == 0 || !l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var context = Directory.CreateTempSubdirectory($"ctx-{binary}-").FullName;
        var output = Path.Combine(context, "__out");
        try
        {
            foreach (var copy in buildStage.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
            {
                var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                foreach (var source in parts[..^1])
                {
                    CopyIntoContext(source, context);
                }
            }

            var image = Path.Combine(context, "__image");
            var runs = buildStage.Where(l => l.StartsWith("RUN ", StringComparison.Ordinal)).ToList();
            Assert.Single(runs, l => l.Contains("dotnet publish", StringComparison.Ordinal));
            foreach (var run in runs)
            {
                var command = MountFlag().Replace(run["RUN ".Length..], "")
                    .Replace("$TARGETARCH", "amd64", StringComparison.Ordinal)
                    .Replace("$PROJECT", project, StringComparison.Ordinal)
                    .Replace("/out", output, StringComparison.Ordinal)
                    .Replace("/image", image, StringComparison.Ordinal);
                var result = Repo.Run("bash", ["-euo", "pipefail", "-c", command], workingDirectory: context, timeout: TimeSpan.FromMinutes(6));
                Assert.True(result.ExitCode == 0, $"{command}\n{result.Describe()}");
            }

            var copied = Assert.Single(lines, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
            var src = copied.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(p => p.StartsWith("/out", StringComparison.Ordinal) || p.StartsWith("/image", StringComparison.Ordinal));
            var path = src.StartsWith("/image", StringComparison.Ordinal)
                ? Path.Combine(image, src["/image".Length..].TrimStart('/'))
                : Path.Combine(output, src["/out".Length..].TrimStart('/'));
            var exe = IsSidecarImage(project) ? Path.Combine(path, "usr", "local", "bin", binary) : Directory.Exists(path) ? Path.Combine(path, binary) : path;
            if (IsSidecarImage(project))
            {
                // The entrypoint link, and the binary where the injection plan expects proa (ProaContract.ImageBinaryPath).
                var link = new FileInfo(Path.Combine(path, "usr", "local", "bin", "sidecar"));
                Assert.Equal(binary, link.LinkTarget);
                Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(exe) == (UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute), "the binary is not 0555");
            }

            Assert.True(File.Exists(exe), $"{exe} missing after publish; have: {string.Join(", ", Directory.GetFiles(output).Select(Path.GetFileName))}");
            var magic = File.ReadAllBytes(exe).AsSpan(0, 4).ToArray();
            Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, magic);
            if (aot)
            {
                // Self-contained native binary: nothing managed next to it for runtime-deps to miss.
                Assert.Empty(Directory.GetFiles(output, "*.dll"));
            }
            else
            {
                Assert.True(File.Exists(Path.Combine(output, $"{binary}.dll")));
                Assert.Contains("Microsoft.AspNetCore.App", File.ReadAllText(Path.Combine(output, $"{binary}.runtimeconfig.json")));
            }
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static void CopyIntoContext(string source, string context)
    {
        var from = Repo.PathOf(source.TrimEnd('/'));
        var to = Path.Combine(context, source.TrimEnd('/'));
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
            var segments = rel.Split(Path.DirectorySeparatorChar);
            if (segments.Any(s => s is "bin" or "obj" or "TestResults"))
            {
                continue;
            }

            var dest = Path.Combine(to, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
        }
    }

    [GeneratedRegex(@"--mount=\S+\s*")]
    private static partial Regex MountFlag();
}
