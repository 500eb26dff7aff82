using Proa.Readiness;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.Readiness;

public sealed class TerminationEvaluatorTests
{
    private static readonly DateTimeOffset ChildExited = new(2025, 6, 1, 10, 5, 0, 500, TimeSpan.Zero);

    [Fact]
    public void Running_sidecar_is_waited_for_but_native_sidecars_are_not()
    {
        var (done, detail) = TerminationEvaluator.Evaluate(TestPods.AllReady().Element(), "app", ChildExited);
        Assert.False(done);
        Assert.Equal("waiting for envoy to stop", detail);
    }

    [Fact]
    public void Terminated_sidecar_is_done() =>
        Assert.True(TerminationEvaluator.Evaluate(TestPods.AllReady().Terminated("envoy", 0, "Completed").Element(), "app", ChildExited).Done);

    [Theory]
    [InlineData("2025-06-01T10:05:00Z", true)] // same second as the child's exit
    [InlineData("2025-06-01T10:05:09Z", true)]
    [InlineData("2025-06-01T10:01:00Z", false)] // an old crash, not our shutdown
    public void Sidecar_that_stopped_and_was_restarted_counts_as_stopped(string finishedAt, bool done)
    {
        var pod = TestPods.AllReady().Edit("envoy", s => s["lastState"] = new System.Text.Json.Nodes.JsonObject
        {
            ["terminated"] = new System.Text.Json.Nodes.JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["finishedAt"] = finishedAt },
        });
        Assert.Equal(done, TerminationEvaluator.Evaluate(pod.Element(), "app", ChildExited).Done);
    }

    [Fact]
    public void Own_container_is_not_waited_for() =>
        Assert.True(TerminationEvaluator.Evaluate(TestPods.AllReady().Terminated("envoy", 0).Element(), "app", ChildExited).Done);
}
