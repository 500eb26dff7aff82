using TestKit.Processes;

namespace Injector.Tests.Support;

/// <summary>The real injector program (<c>dotnet injector.dll</c> from the test output) as a kit <see cref="TestProcess"/>.</summary>
internal static class InjectorProgram
{
    /// <param name="env">Environment changes for the child; a null value removes the variable.</param>
    public static TestProcess Start(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string?>? env = null) =>
        TestProcess.Start(ProcessSpec.DotnetFromTestOutput("injector.dll", args) with
        {
            StandardInput = stdin,
            DisplayName = "injector",
            Environment = env ?? new Dictionary<string, string?>(),
        });
}
