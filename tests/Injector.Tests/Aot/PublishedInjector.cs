using System.Runtime.InteropServices;

namespace Injector.Tests.Aot;

/// <summary>
/// The webhook as it ships: src/Injector published as a Native AOT binary for this machine, once per test run (into
/// artifacts/test-aot, so a later run only re-links what changed). INJECTOR_AOT_BINARY names an already published
/// binary instead (CI that built the image's binary anyway). Publishing takes a minute or two on 2 cores.
/// </summary>
public sealed class PublishedInjector : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    public string Binary { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("INJECTOR_AOT_BINARY") is { Length: > 0 } given)
        {
            Assert.True(File.Exists(given), $"INJECTOR_AOT_BINARY={given} does not exist");
            Binary = given;
            return;
        }

        var output = RepositoryPaths.Of("artifacts", "test-aot", "bin");
        var result = await TestProcess.RunAsync(
            new ProcessSpec(DotnetHost.Path,
            [
                "publish", RepositoryPaths.Of("src", "Injector", "Injector.csproj"), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier,
                "--artifacts-path", RepositoryPaths.Of("artifacts", "test-aot", "build"), "-o", output, "-nologo",
            ])
            {
                DisplayName = "dotnet publish (Native AOT)",
                WorkingDirectory = RepositoryPaths.Root,
            },
            PublishTimeout);
        Assert.True(result.ExitCode == 0, $"Native AOT publish of src/Injector failed:\n{result.Describe()}");
        Binary = Path.Combine(output, "injector");
        Assert.True(File.Exists(Binary), $"{Binary} missing after publish:\n{result.Describe()}");
        Assert.False(File.Exists(Path.Combine(output, "injector.dll")), "the publish produced a managed assembly, not a native binary");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Starts the binary with these arguments and the environment of a pod (no terminal, JSON logs unless asked).</summary>
    public TestProcess Start(IEnumerable<string> args, string? stdin = null, string? workingDirectory = null) =>
        TestProcess.Start(new ProcessSpec(Binary, args.ToList()) { DisplayName = "injector (Native AOT)", StandardInput = stdin, WorkingDirectory = workingDirectory });
}
