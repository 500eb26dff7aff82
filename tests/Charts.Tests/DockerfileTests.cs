using System.Text.RegularExpressions;
using Sidecars.Contract;

namespace Charts.Tests;

/// <summary>
/// Every image builds from one file, src/Dockerfile, with the program as a build argument. No Docker engine runs
/// here, so the file is read the way BuildKit reads it (global ARGs, stage names, <c>FROM</c> substitution) and its
/// build stage is replayed: the COPY lines populate a temporary build context (honouring the .dockerignore basics: no
/// bin/ or obj/), then the RUN lines run there under bash with the build arguments as environment variables (as
/// BuildKit passes ARGs to RUN) and /out and /image redirected; the final stage's COPY source must hold the image's
/// file system. One publish per program: they are slow.
/// </summary>
public sealed partial class DockerfileTests
{
    private const string Entrypoint = "/usr/local/bin/entrypoint";

    private static string DockerfilePath => Repo.PathOf("src", "Dockerfile");

    public static TheoryData<string, string, string> Images => new()
    {
        // project (the PROJECT build argument), binary (its AssemblyName, also the image's name), RUNTIME
        { "AppUp", "appup", "aot" },
        { "Shawarma", "shawarma", "aot" },
        { "Proa", "proa", "aot" },
        { "Injector", "injector", "aot" },
        { "Canary", "canary-controller", "jit" },
        { "Rollout", "sidecar-rollout", "jit" },
    };

    private static readonly Lazy<Dockerfile> ParsedFile = new(() => Dockerfile.Parse(File.ReadAllText(DockerfilePath)));

    private static Dockerfile Parsed => ParsedFile.Value;

    [Fact]
    public void One_dockerfile_builds_every_program_and_no_other_remains()
    {
        var found = Files(Repo.Root)
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Where(IsContainerBuildFile)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["src/Dockerfile", "src/Dockerfile.dockerignore"], found);

        // The build stage's list of programs is every program under src/ (a project with a Program.cs), no more.
        var programs = Directory.GetDirectories(Repo.PathOf("src"))
            .Where(d => File.Exists(Path.Combine(d, "Program.cs")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(programs, Images.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
        var check = Assert.Single(ProjectCheck().Matches(Parsed.Stage("build").Runs.Single()).Cast<Match>());
        Assert.Equal(programs, check.Groups[1].Value.Split('|').Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("aot")]
    [InlineData("jit")]
    public void Runtime_selects_the_sdk_and_the_chiseled_base(string runtime)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal) { ["RUNTIME"] = runtime };

        var (chain, buildImage) = Parsed.Resolve(Parsed.Stage("build"), args);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0-noble-aot", buildImage);
        Assert.Equal($"build-{runtime}", Assert.Single(chain).Name);
        // Native AOT cannot cross-compile between architectures; IL can (the JIT build only picks the target's apphost).
        Assert.Equal(runtime == "jit" ? "$BUILDPLATFORM" : null, chain[0].Platform);

        var (_, finalImage) = Parsed.Resolve(Parsed.Stages[^1], args);
        Assert.Equal(runtime == "aot" ? "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled" : "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", finalImage);
    }

    [Fact]
    public void Runtime_defaults_to_aot_and_a_stage_cannot_be_chosen_by_the_project_name()
    {
        Assert.Equal("aot", Parsed.GlobalArgs["RUNTIME"]);
        Assert.DoesNotContain("PROJECT", Parsed.GlobalArgs.Keys);
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", Parsed.Resolve(Parsed.Stages[^1], new Dictionary<string, string>()).Image);

        // Why RUNTIME exists (the header's claim): stage names are lower case and FROM matches them exactly, so
        // "runtime-AOT" (as "AppUp" would be) names no stage and would be pulled as an image.
        var (chain, image) = Parsed.Resolve(Parsed.Stages[^1], new Dictionary<string, string> { ["RUNTIME"] = "AOT" });
        Assert.Empty(chain);
        Assert.Equal("runtime-AOT", image);
    }

    [Fact]
    public void Final_stage_is_non_root_labelled_and_has_one_entrypoint()
    {
        var final = Parsed.Stages[^1];
        Assert.Null(final.Name);
        var user = Assert.Single(final.Lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Matches(@"^USER [1-9][0-9]*:[1-9][0-9]*$", user); // numeric, so runAsNonRoot can verify it
        Assert.Equal($"ENTRYPOINT [\"{Entrypoint}\"]", Assert.Single(final.Lines, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)));
        Assert.DoesNotContain(final.Lines, l => l.StartsWith("CMD ", StringComparison.Ordinal)); // the chart's args are the whole command line
        Assert.Equal("COPY --from=build /image/ /", Assert.Single(final.Lines, l => l.StartsWith("COPY ", StringComparison.Ordinal)));
        var label = Assert.Single(final.Lines, l => l.StartsWith("LABEL ", StringComparison.Ordinal));
        foreach (var key in new[] { "org.opencontainers.image.source=", "org.opencontainers.image.title=\"$PROJECT\"", "org.opencontainers.image.licenses=" })
        {
            Assert.Contains(key, label, StringComparison.Ordinal);
        }

        // The base stages add nothing of their own: whatever the final stage says holds for every program.
        Assert.All(Parsed.Stages.Where(s => s.Name is "runtime-aot" or "runtime-jit"), s => Assert.Empty(s.Lines));
    }

    [Fact]
    public void Dockerignore_keeps_host_build_output_out_of_the_context()
    {
        // A host's obj/ holds project.assets.json with host paths: restoring over it in the container breaks the build.
        var patterns = File.ReadAllLines(DockerfilePath + ".dockerignore").Select(l => l.Trim()).ToList();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        Assert.Contains(".git/", patterns);
        Assert.DoesNotContain(patterns, p => p is "src/" or "src" or "global.json" or "Directory.Build.props" or "Directory.Packages.props");
    }

    [Theory]
    [InlineData("", "aot", "--build-arg PROJECT=AppUp, Shawarma, Proa, Injector, Canary or Rollout (got '')")]
    [InlineData("Sidecars.Kube", "aot", "(got 'Sidecars.Kube')")]
    [InlineData("../Injector", "aot", "(got '../Injector')")]
    [InlineData("Canary", "aot", "Canary is built with --build-arg RUNTIME=jit (got 'aot')")]
    [InlineData("Injector", "jit", "Injector is built with --build-arg RUNTIME=aot (got 'jit')")]
    public void Build_stage_refuses_a_wrong_program_or_runtime_before_publishing(string project, string runtime, string message)
    {
        using var context = new BuildContext(Parsed.Stage("build"));
        var result = context.Replay(project, runtime);
        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(context.Out), "published although the arguments were wrong");
    }

    /// <summary>Slow (a publish each, native AOT ~20-60 s on 2 cores); filter with Category!=Publish to skip locally.</summary>
    [Theory]
    [Trait("Category", "Publish")]
    [MemberData(nameof(Images))]
    public void Publish_step_lays_out_the_image(string project, string binary, string runtime)
    {
        using var context = new BuildContext(Parsed.Stage("build"));
        Assert.Single(Parsed.Stage("build").Runs, l => l.Contains("dotnet publish", StringComparison.Ordinal));
        var result = context.Replay(project, runtime);
        Assert.True(result.ExitCode == 0, result.Describe());

        var bin = Path.Combine(context.Image, "usr", "local", "bin");
        Assert.Equal(binary, new FileInfo(Path.Combine(bin, "entrypoint")).LinkTarget);
        var program = Path.Combine(bin, binary);
        string exe;
        if (runtime == "aot")
        {
            exe = program;
            Assert.Null(new FileInfo(program).LinkTarget);
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(exe) == (UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute), "the binary is not 0555");
            // Self-contained native binary: nothing managed next to it for runtime-deps to miss.
            Assert.Empty(Directory.GetFiles(context.Out, "*.dll"));
            Assert.Equal(["usr"], Directory.GetFileSystemEntries(context.Image).Select(Path.GetFileName));
        }
        else
        {
            Assert.Equal($"../../../app/{binary}", new FileInfo(program).LinkTarget);
            exe = Path.Combine(context.Image, "app", binary);
            Assert.True(File.Exists(Path.Combine(context.Image, "app", $"{binary}.dll")));
            Assert.Contains("Microsoft.AspNetCore.App", File.ReadAllText(Path.Combine(context.Image, "app", $"{binary}.runtimeconfig.json")));
        }

        Assert.True(File.Exists(exe), $"{exe} missing after publish; have: {string.Join(", ", Directory.GetFiles(context.Out).Select(Path.GetFileName))}");
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, File.ReadAllBytes(exe).AsSpan(0, 4).ToArray());
        if (project == "Proa")
        {
            // The injection plan's init container runs proa from the image at this path.
            Assert.True(File.Exists(context.Image + ProaContract.ImageBinaryPath), $"{ProaContract.ImageBinaryPath} missing from the proa image");
        }

        // The image's ENTRYPOINT, through its links, starts the program (a JIT apphost finds its .dll through them).
        var help = Repo.Run(context.Image + Entrypoint, ["--help"], workingDirectory: context.Image,
            env: new Dictionary<string, string> { ["DOTNET_ROOT"] = DotnetRoot }, timeout: TimeSpan.FromMinutes(1));
        Assert.True(help.ExitCode == 0, help.Describe());
        // The usage line names the program, not the shared link it was started through (argv[0]).
        var usage = UsageLine().Match(help.StdOut);
        Assert.True(usage.Success, help.Describe());
        Assert.Equal(binary, usage.Groups["program"].Value);
    }

    [GeneratedRegex(@"usage:\s*(?<program>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex UsageLine();

    /// <summary>The root of the dotnet installation running the tests (above shared/Microsoft.NETCore.App/VERSION/).</summary>
    private static string DotnetRoot => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    /// <summary>Dockerfile, Containerfile, X.Dockerfile, Dockerfile.X, and any .dockerignore (not this test's sources).</summary>
    private static bool IsContainerBuildFile(string path)
    {
        var name = Path.GetFileName(path);
        return name is "Dockerfile" or "Containerfile" ||
               name.EndsWith(".dockerignore", StringComparison.OrdinalIgnoreCase) ||
               name.EndsWith(".Dockerfile", StringComparison.OrdinalIgnoreCase) ||
               (name.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase) && Path.GetExtension(name) != ".cs");
    }

    private static IEnumerable<string> Files(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (Path.GetFileName(sub) is not (".git" or "bin" or "obj" or "TestResults" or ".tools" or "node_modules"))
            {
                foreach (var file in Files(sub))
                {
                    yield return file;
                }
            }
        }
    }

    [GeneratedRegex(@"case ""\$PROJECT"" in ([A-Za-z|]+)\)")]
    private static partial Regex ProjectCheck();
}
