using System.Text.Json.Nodes;
using Proa.Readiness;
using Proa.Tests.Infrastructure;

namespace Proa.Tests.Readiness;

public sealed class ReadinessEvaluatorTests
{
    private static ReadinessDecision Evaluate(JsonObject pod, string own = "app") => ReadinessEvaluator.Evaluate(pod.Element(), own);

    [Fact]
    public void Waits_for_classic_and_native_sidecars_but_not_itself_or_regular_init_containers()
    {
        var d = Evaluate(TestPods.NotReady());
        Assert.Equal(ReadinessState.Waiting, d.State);
        Assert.Equal("waiting for envoy (running, not ready), log-shipper (running, not ready)", d.Detail);
        Assert.DoesNotContain("app", d.Detail);
        Assert.DoesNotContain("proa-install", d.Detail);
    }

    [Fact]
    public void Ready_when_all_others_are_ready_even_if_own_container_is_not() =>
        Assert.Equal(ReadinessDecision.Ready("all 2 other container(s) ready"), Evaluate(TestPods.AllReady()));

    [Fact]
    public void Own_container_counts_like_any_other_when_proa_is_elsewhere() =>
        Assert.Equal("waiting for app (running, not ready)", Evaluate(TestPods.AllReady(), own: "envoy").Detail);

    [Fact]
    public void Missing_status_is_waiting()
    {
        var pod = TestPods.AllReady();
        pod["status"]!["containerStatuses"]!.AsArray().RemoveAt(1);
        Assert.Equal(ReadinessDecision.Waiting("waiting for envoy (no status yet)"), Evaluate(pod));
    }

    [Fact]
    public void Pending_pod_without_statuses_is_waiting()
    {
        var pod = TestPods.NotReady();
        pod["status"] = new JsonObject { ["phase"] = "Pending" };
        Assert.Equal(ReadinessDecision.Waiting("waiting for envoy (no status yet), log-shipper (no status yet)"), Evaluate(pod));
    }

    [Fact]
    public void Native_sidecar_without_readiness_probe_counts_once_started()
    {
        var pod = TestPods.NotReady().Ready("envoy");
        Assert.Equal(ReadinessState.Waiting, Evaluate(pod).State); // has a probe, started but not ready
        pod["spec"]!["initContainers"]![1]!.AsObject().Remove("readinessProbe");
        Assert.Equal(ReadinessState.Ready, Evaluate(pod).State);
    }

    [Fact]
    public void Regular_init_container_with_other_restart_policy_is_ignored()
    {
        var pod = TestPods.AllReady();
        pod["spec"]!["initContainers"]![0]!["restartPolicy"] = "OnFailure"; // not a sidecar
        pod.Edit("proa-install", s => s["ready"] = false);
        Assert.Equal(ReadinessState.Ready, Evaluate(pod).State);
    }

    [Theory]
    [InlineData("Never", 0, true)]
    [InlineData("Never", 1, true)]
    [InlineData("OnFailure", 0, true)]
    [InlineData("OnFailure", 1, false)]
    [InlineData("Always", 0, false)]
    [InlineData("Always", 2, false)]
    public void Terminated_sidecar_fails_only_when_the_restart_policy_will_not_restart_it(string policy, int exitCode, bool fails)
    {
        var pod = TestPods.NotReady().Set("spec.restartPolicy", policy).Terminated("envoy", exitCode, exitCode == 0 ? "Completed" : "Error");
        var d = Evaluate(pod);
        if (fails)
        {
            Assert.Equal(ReadinessState.Failed, d.State);
            Assert.Equal($"container envoy terminated with exit code {exitCode} ({(exitCode == 0 ? "Completed" : "Error")}) and restartPolicy {policy} will not restart it", d.Detail);
        }
        else
        {
            Assert.Equal(ReadinessState.Waiting, d.State);
            Assert.Contains($"envoy (terminated with exit code {exitCode}, restarting)", d.Detail);
        }
    }

    [Fact]
    public void Terminated_native_sidecar_is_restarted_by_the_kubelet_so_it_is_waiting()
    {
        var d = Evaluate(TestPods.NotReady().Ready("envoy").Terminated("log-shipper", 1));
        Assert.Equal(ReadinessDecision.Waiting("waiting for log-shipper (terminated with exit code 1, restarting)"), d);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(7, true)]
    public void CrashLoopBackOff_fails_after_the_restart_limit(int restarts, bool fails)
    {
        var d = Evaluate(TestPods.NotReady().Ready("log-shipper").CrashLooping("envoy", restarts));
        Assert.Equal(fails ? ReadinessState.Failed : ReadinessState.Waiting, d.State);
        Assert.Equal(fails ? $"container envoy is in CrashLoopBackOff after {restarts} restarts (last exit code 1)" : "waiting for envoy (CrashLoopBackOff)", d.Detail);
    }

    [Theory]
    [InlineData("ContainerCreating", false)]
    [InlineData("ImagePullBackOff", false)]
    [InlineData("CreateContainerConfigError", false)]
    [InlineData("InvalidImageName", true)]
    public void Waiting_reasons(string reason, bool fails)
    {
        var d = Evaluate(TestPods.NotReady().Ready("log-shipper").Waiting("envoy", reason));
        Assert.Equal(fails ? ReadinessState.Failed : ReadinessState.Waiting, d.State);
        Assert.Contains(reason, d.Detail);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Succeeded")]
    public void Finished_pod_fails(string phase) =>
        Assert.Equal(ReadinessDecision.Failed($"pod is in phase {phase}; its containers will not become ready"), Evaluate(TestPods.NotReady().Set("status.phase", phase)));

    [Fact]
    public void Terminating_pod_fails() =>
        Assert.Equal(ReadinessDecision.Failed("pod is being deleted"), Evaluate(TestPods.NotReady().Set("metadata.deletionTimestamp", "2025-06-01T10:09:00Z")));

    [Fact]
    public void Pod_with_only_proa_is_ready_at_once()
    {
        var pod = TestPods.NotReady();
        pod["spec"]!["containers"]!.AsArray().RemoveAt(1);
        pod["spec"]!["initContainers"]!.AsArray().RemoveAt(1);
        Assert.Equal(ReadinessDecision.Ready("no other containers to wait for"), Evaluate(pod));
    }

    [Fact]
    public void Tolerates_missing_and_null_fields()
    {
        var pod = JsonNode.Parse("""{"metadata":null,"spec":{"containers":[{"name":"app"},{"name":"x"},{}],"initContainers":null},"status":{"containerStatuses":[{"name":"x","ready":true,"state":null}]}}""")!.AsObject();
        Assert.Equal(ReadinessState.Ready, Evaluate(pod).State);
    }
}
