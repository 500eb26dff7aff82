using TestKit.Processes;

namespace TestKit.Tests.Processes;

/// <summary>A child starts with the default action for SIGHUP/SIGINT/SIGQUIT even when the test run ignores them.</summary>
public sealed class SignalDispositionTests
{
    [Fact]
    public async Task A_signal_the_test_host_ignores_is_not_ignored_by_the_child()
    {
        // As if the run had been started with `cmd &` (SIGQUIT ignored); SIGQUIT because nothing in a test host uses it.
        SignalDispositions.Ignore(3);

        var result = await TestProcess.RunAsync(new ProcessSpec("sh", ["-c", "grep '^SigIgn:' /proc/self/status"]));

        Assert.Equal(0, result.ExitCode);
        var ignored = Convert.ToUInt64(result.StdOut.Split(':')[1].Trim(), 16);
        Assert.Equal(0UL, ignored & (1UL << (3 - 1)));
    }
}
