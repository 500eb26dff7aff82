using TestKit.Processes;

namespace Proa.Tests.Infrastructure;

/// <summary>
/// The real proa program as a child process (TestKit's <see cref="TestProcess"/>): <c>dotnet proa.dll</c> from the test
/// output, or the native binary named by <c>PROA_TEST_BINARY</c> (the same tests against the AOT build). The wrapped
/// command's output lands in stdout because it inherits proa's descriptors. Logs are text unless a test asks for JSON.
/// </summary>
internal static class ProaProgram
{
    /// <summary>Nothing from the test host's own cluster or pod may leak in.</summary>
    private static readonly string[] Inherited =
    [
        "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAME", "POD_NAMESPACE",
        "PROA_CONTAINER_NAME", "PROA_SKIP_WAIT", "LOG_FORMAT", "HOME",
    ];

    public static TestProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var spec = Environment.GetEnvironmentVariable("PROA_TEST_BINARY") is { Length: > 0 } native
            ? new ProcessSpec(native, [.. args])
            : ProcessSpec.DotnetFromTestOutput("proa.dll", args);
        var env = new Dictionary<string, string?> { ["LOG_FORMAT"] = "text" };
        foreach (var (key, value) in environment)
        {
            env[key] = value;
        }

        return TestProcess.Start(spec with { DisplayName = "proa", RemoveEnvironment = Inherited, Environment = env });
    }
}
