using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rollout.Tests.Support;
using TestKit.Kube;
using TestKit.Kube.Simulation;

namespace Rollout.Tests.Runs;

/// <summary>
/// Real runs of the program against the stand-in API server with simulated controllers: the exact restart patch,
/// waiting per kind by kubectl's rules gated on the patch's generation, timeouts apart from failures, exit codes.
/// </summary>
public sealed partial class RestartTests
{
    [Fact]
    public async Task The_restart_is_one_merge_patch_of_the_two_template_annotations_only()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web", "appup,shawarma");
        var before = world.Kube.Store.Get(ResourceTypes.Deployment, "shop", "web")!;

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        var patch = Assert.Single(world.Kube.Requests.Writes(ResourceTypes.Deployment));
        Assert.Equal("PATCH", patch.Method);
        Assert.Equal("application/merge-patch+json", patch.ContentType?.Split(';')[0]);
        Assert.Null(patch.Query["dryRun"]);
        var body = JsonNode.Parse(patch.Body)!.AsObject();
        var annotations = (JsonObject)body.At("spec.template.metadata.annotations")!;
        Assert.Equal(["sidecarRollout.rollout.reason", "sidecarRollout.rollout.timestamp"], annotations.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Single(body);
        Assert.Single((JsonObject)body["spec"]!);
        Assert.Single((JsonObject)body.At("spec.template")!);
        Assert.Single((JsonObject)body.At("spec.template.metadata")!);
        Assert.Matches(Rfc3339UtcMicroseconds(), (string)annotations["sidecarRollout.rollout.timestamp"]!);
        Assert.Equal("sidecar-rollout: appup image 0.1.0 -> 0.2.0", (string)annotations["sidecarRollout.rollout.reason"]!);

        // The merge patch changed the template's annotations and nothing else; the generation moved once.
        var after = world.Kube.Store.Get(ResourceTypes.Deployment, "shop", "web")!;
        Assert.Equal(before.LongAt("metadata.generation") + 1, after.LongAt("metadata.generation"));
        var templateBefore = (JsonObject)before.At("spec.template")!.DeepClone();
        var templateAfter = (JsonObject)after.At("spec.template")!.DeepClone();
        ((JsonObject)templateAfter.At("metadata.annotations")!).Remove("sidecarRollout.rollout.reason");
        ((JsonObject)templateAfter.At("metadata.annotations")!).Remove("sidecarRollout.rollout.timestamp");
        Assert.True(KubeJson.SemanticEquals(templateBefore, templateAfter));
        Assert.Contains("restarted  Deployment shop/web  appup image 0.1.0 -> 0.2.0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_annotation_prefix_names_both_keys()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");

        var run = await CliRun.AgainstAsync(world, "--confirm=true", "--annotation-prefix", "example.com/platform");

        Assert.True(run.ExitCode == 0, run.ToString());
        var annotations = (JsonObject)JsonNode.Parse(Assert.Single(world.Kube.Requests.Writes(ResourceTypes.Deployment)).Body)!.AsObject().At("spec.template.metadata.annotations")!;
        Assert.Equal(["example.com/platform.rollout.reason", "example.com/platform.rollout.timestamp"], annotations.Select(kv => kv.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Deployment")]
    [InlineData("StatefulSet")]
    [InlineData("DaemonSet")]
    public async Task Each_kind_is_waited_for_until_kubectl_would_call_it_rolled_out(string kind)
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        Seed(world, kind, "shop", "web");
        JsonObject? seenComplete = null;
        world.Kube.Store.Changed += change =>
        {
            if (change.Type.Kind == kind && !RolloutsInFlightRecorder.IsRollingOut(change.Type, change.After) && change.After.LongAt("metadata.generation") == 2)
            {
                seenComplete ??= change.After;
            }
        };

        var run = await CliRun.AgainstAsync(world, "--confirm", "--include-statefulset", "--include-daemonset");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"restarted  {kind} shop/web", run.Out, StringComparison.Ordinal);
        // It did not return before the controller had observed the restart and finished it.
        Assert.NotNull(seenComplete);
        var final = world.Kube.Store.Get(ResourceTypes.BuiltIn.First(t => t.Kind == kind), "shop", "web")!;
        Assert.Equal(2, final.LongAt("status.observedGeneration"));
        Assert.False(RolloutsInFlightRecorder.IsRollingOut(ResourceTypes.BuiltIn.First(t => t.Kind == kind), final));
    }

    [Theory]
    [InlineData("Deployment")]
    [InlineData("StatefulSet")]
    [InlineData("DaemonSet")]
    public async Task A_stale_status_that_looks_complete_never_reads_as_done(string kind)
    {
        // The controller is down: observedGeneration stays at 1 while the status still says "all replicas updated".
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        Seed(world, kind, "shop", "web");
        world.Deployments.SetBehavior("shop", "web", RolloutBehavior.Ignore);
        world.StatefulSets.SetBehavior("shop", "web", RolloutBehavior.Ignore);
        world.DaemonSets.SetBehavior("shop", "web", RolloutBehavior.Ignore);

        var run = await CliRun.AgainstAsync(world, "--confirm", "--include-statefulset", "--include-daemonset", "--timeout", "1s");

        Assert.True(run.ExitCode == 0, run.ToString()); // a timeout is not a failure by default
        Assert.Contains($"timed out  {kind} shop/web", run.Out, StringComparison.Ordinal);
        Assert.Contains("may still complete", run.Out, StringComparison.Ordinal);
        Assert.Contains("waiting for the controller to observe generation 2 (observed: 1)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_is_a_failure_only_when_asked()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployments.SetBehavior("shop", "web", RolloutBehavior.Ignore);

        var run = await CliRun.AgainstAsync(world, "--confirm", "--timeout", "500ms", "--timeout-is-failure");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("timed out  Deployment shop/web", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exceeded_progress_deadline_is_a_failure_that_names_the_stuck_pods()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web", customize: d => d.Set("spec.progressDeadlineSeconds", 1));
        world.Deployment("shop", "cart");
        world.Deployments.SetBehavior("shop", "web", RolloutBehavior.Stall);
        // The new pod's appup sidecar cannot start (what a bad sidecar config does).
        world.Pod("shop", "web-7c9d4-new", World.Template("web", "appup"), null, Configs.Old, p => p.Set("metadata.labels.app", "web"));
        world.Kube.Store.Mutate(ResourceTypes.Pod, "shop", "web-7c9d4-new", p => p["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["initContainerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "appup",
                ["ready"] = false,
                ["restartCount"] = 5,
                ["image"] = "ghcr.io/sidecars-dev/appup:0.2.0",
                ["imageID"] = "",
                ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = "back-off 2m40s restarting failed container=appup" } },
            }),
        }, "status");

        var run = await CliRun.AgainstAsync(world, "--confirm", "--timeout", "30s");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failed     Deployment shop/web", run.Out, StringComparison.Ordinal);
        Assert.Contains("deployment \"web\" exceeded its progress deadline; stuck pods: web-7c9d4-new: container appup CrashLoopBackOff (back-off 2m40s restarting failed container=appup)", run.Out, StringComparison.Ordinal);
        Assert.Contains("restarted  Deployment shop/cart", run.Out, StringComparison.Ordinal); // one failure does not stop the others
    }

    [Fact]
    public async Task Exit_codes_are_0_when_all_is_well_1_on_a_failure_2_on_bad_usage()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");

        Assert.Equal(0, (await CliRun.AgainstAsync(world)).ExitCode);
        Assert.Equal(2, (await CliRun.AgainstAsync(world, "--parallel-rollouts", "0")).ExitCode);
        Assert.Equal(2, (await CliRun.AgainstAsync(world, "--confirm=yes")).ExitCode);
        Assert.Equal(2, (await CliRun.AgainstAsync(world, "--no-such-flag")).ExitCode);
        Assert.Equal(1, (await CliRun.AgainstAsync(world, "--injector-config", "missing")).ExitCode);
        world.Kube.Faults.Add(TestKit.Kube.Server.KubeFault.Forbidden(), r => r.Verb == "patch");
        Assert.Equal(1, (await CliRun.AgainstAsync(world, "--confirm")).ExitCode);
        Assert.Equal(2, (await CliRun.AgainstAsync(world, "--confirm", "--dry-run=client")).ExitCode);
    }

    [Fact]
    public async Task Nothing_to_do_is_success()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.Yaml);
        world.Deployment("shop", "web");

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(world.Kube.Requests.Writes());
        Assert.Contains("nothing to do", run.Out, StringComparison.Ordinal);
    }

    internal static void Seed(World world, string kind, string ns, string name)
    {
        switch (kind)
        {
            case "Deployment":
                world.Deployment(ns, name);
                break;
            case "StatefulSet":
                world.StatefulSet(ns, name);
                break;
            default:
                world.DaemonSet(ns, name);
                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")]
    private static partial Regex Rfc3339UtcMicroseconds();
}
