using System.Runtime.InteropServices;
using TestKit.Processes;

namespace TestKit.Tests.Support;

public sealed class TestProcessTests
{
    private static ProcessSpec Bash(string script) => new("/bin/bash", ["-c", script]);

    [Fact]
    public async Task Captures_both_streams_line_by_line_and_the_exit_code()
    {
        var result = await TestProcess.RunAsync(Bash("echo out1; echo err1 >&2; echo out2; exit 3"));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out1\nout2", result.StdOut);
        Assert.Equal("err1", result.StdErr);
    }

    [Fact]
    public async Task Waits_for_a_line_then_a_signal_ends_the_process_through_its_trap()
    {
        using var process = TestProcess.Start(Bash("trap 'echo got TERM; exit 143' TERM; echo ready; while true; do sleep 0.05; done"));

        await process.WaitForLineAsync("ready");
        process.Signal(PosixSignal.SIGTERM);

        Assert.Equal(143, await process.WaitForExitAsync());
        Assert.Contains("got TERM", process.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_that_never_comes_fails_with_the_output_and_an_exit_fails_the_wait_at_once()
    {
        using var quiet = TestProcess.Start(Bash("echo hello; sleep 30"));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => quiet.WaitForLineAsync("never", TimeSpan.FromMilliseconds(300)));
        Assert.Contains("hello", timeout.Message, StringComparison.Ordinal);

        using var exits = TestProcess.Start(Bash("echo bye; exit 1"));
        var exited = await Assert.ThrowsAsync<InvalidOperationException>(() => exits.WaitForLineAsync("never"));
        Assert.Contains("exited (1)", exited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_kills_the_whole_process_tree()
    {
        int child;
        using (var process = TestProcess.Start(Bash("sleep 300 & echo child $!; wait")))
        {
            var line = await process.WaitForLineAsync("child ");
            child = int.Parse(line["child ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        await Eventually.TrueAsync(() => !File.Exists($"/proc/{child}/status") || File.ReadAllText($"/proc/{child}/status").Contains("State:\tZ", StringComparison.Ordinal),
            "the grandchild to be killed");
    }

    [Fact]
    public async Task Standard_input_and_environment_reach_the_child()
    {
        var result = await TestProcess.RunAsync(Bash("read line; echo \"$line $GREETING ${HOME:-nohome}\"") with
        {
            StandardInput = "hello\n",
            Environment = new Dictionary<string, string?> { ["GREETING"] = "world", ["HOME"] = null },
        });

        Assert.Equal("hello world nohome", result.StdOut);
    }
}
