using TestKit.Processes;

namespace Shawarma.Tests.Fakes;

/// <summary>
/// The real shawarma program as a child process (TestKit's <see cref="TestProcess"/>): the published native binary when
/// <c>SHAWARMA_BIN</c> is set, else the build output next to the tests.
/// </summary>
internal static class ShawarmaProgram
{
    /// <summary>A developer's or a pod's own settings must not leak into a test.</summary>
    private static readonly string[] Inherited =
    [
        "SHAWARMA_SERVICE", "SHAWARMA_SERVICE_LABELS", "MY_POD_NAME", "MY_POD_NAMESPACE", "SHAWARMA_URL",
        "SHAWARMA_DISABLE_STATE_NOTIFIER", "SHAWARMA_LISTEN_PORT", "LOG_LEVEL", "LOG_FORMAT", "KUBECONFIG",
        "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
    ];

    public static TestProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var spec = Environment.GetEnvironmentVariable("SHAWARMA_BIN") is { Length: > 0 } bin
            ? new ProcessSpec(bin, [.. args])
            : ProcessSpec.DotnetFromTestOutput("shawarma.dll", args);
        return TestProcess.Start(spec with
        {
            DisplayName = "shawarma",
            RemoveEnvironment = Inherited,
            Environment = env ?? new Dictionary<string, string?>(),
        });
    }
}
