using Rollout.Tests.Support;
using TestKit.Kube;
using TestKit.Kube.Server;

namespace Rollout.Tests.Runs;

/// <summary>The API server answering 403, 404, 409, 410 and 5xx in the middle of a run.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_403_on_one_restart_fails_that_workload_only_with_the_servers_message()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("pay", "api");
        world.Kube.Faults.Add(KubeFault.Forbidden("jane"), r => r.Verb == "patch" && r.Name == "web");

        var run = await CliRun.AgainstAsync(world, "--confirm", "--parallel-rollouts", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failed     Deployment shop/web  the restart patch was forbidden (HTTP 403): deployments.apps \"web\" is forbidden: User \"jane\" cannot patch resource \"deployments\"", run.Out, StringComparison.Ordinal);
        Assert.Contains("restarted  Deployment pay/api", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_deleted_after_listing_is_skipped_not_failed()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("shop", "worker");
        // The first list of Deployments sees both; worker is deleted before its restart.
        world.Kube.Store.Changed += change =>
        {
            if (change.Type.Kind == "Deployment" && change.Name == "web" && change.After.LongAt("metadata.generation") == 2 && change.Before?.LongAt("metadata.generation") == 1)
            {
                world.Kube.Store.Delete(ResourceTypes.Deployment, "shop", "worker");
            }
        };

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("skipped    Deployment shop/worker  deleted before the restart", run.Out, StringComparison.Ordinal);
        Assert.Contains("restarted  Deployment shop/web", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_while_waiting_is_a_skip_with_the_reason()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployments.SetBehavior("shop", "web", TestKit.Kube.Simulation.RolloutBehavior.Ignore);
        world.Kube.Store.Changed += change =>
        {
            if (change.Type.Kind == "Deployment" && change.After.LongAt("metadata.generation") == 2 && !change.Deleted)
            {
                _ = Task.Run(async () =>
                {
                    await Task.Delay(150);
                    world.Kube.Store.Delete(ResourceTypes.Deployment, "shop", "web", new TestKit.Kube.Storage.DeleteOptions(PropagationPolicy: "Orphan"));
                });
            }
        };

        var run = await CliRun.AgainstAsync(world, "--confirm", "--timeout", "20s");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("skipped  Deployment shop/web  deleted during the rollout", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conflicts_throttling_and_server_errors_on_the_patch_are_retried()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Faults.FailNext(KubeFault.Status(409, "Conflict", "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified"), 1, r => r.Verb == "patch");
        world.Kube.Faults.FailNext(KubeFault.TooManyRequests(TimeSpan.FromMilliseconds(10)), 1, r => r.Verb == "patch");
        world.Kube.Faults.FailNext(KubeFault.ServiceUnavailable(), 1, r => r.Verb == "patch");

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        var patches = world.Kube.Requests.Writes(ResourceTypes.Deployment);
        Assert.Equal([409, 429, 503, 200], patches.Select(p => p.StatusCode));
        Assert.Equal(2, world.Kube.Store.Get(ResourceTypes.Deployment, "shop", "web")!.LongAt("metadata.generation"));
    }

    [Fact]
    public async Task A_422_from_admission_is_a_failure_with_the_servers_words()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Faults.Add(KubeFault.Status(422, "Invalid", "admission webhook \"policy.example\" denied the request: restarts are frozen"), r => r.Verb == "patch");

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the restart patch was rejected (HTTP 422): admission webhook \"policy.example\" denied the request: restarts are frozen", run.Out, StringComparison.Ordinal);
        Assert.Single(world.Kube.Requests.Writes(ResourceTypes.Deployment)); // not retried
    }

    [Fact]
    public async Task Transient_errors_while_waiting_do_not_end_the_wait()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Faults.FailNext(KubeFault.InternalError(), 3, r => r.Verb == "get" && r.Is(ResourceTypes.Deployment));

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("restarted  Deployment shop/web", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_forbidden_is_exit_1_with_one_sentence()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Faults.Add(KubeFault.Forbidden("jane"), r => r.Verb == "list" && r.Is(ResourceTypes.Pod));

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("listing the cluster failed: forbidden (HTTP 403): pods is forbidden: User \"jane\" cannot list resource \"pods\"", run.Error, StringComparison.Ordinal);
        Assert.Empty(world.Kube.Requests.Writes());
    }

    [Fact]
    public async Task Without_permission_to_list_PodDisruptionBudgets_the_run_goes_on_and_says_so()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Kube.Faults.Add(KubeFault.Forbidden(), r => r.Verb == "list" && r.Is(ResourceTypes.PodDisruptionBudget));

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("PodDisruptionBudgets not checked", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_continue_token_that_expires_mid_list_relists_from_the_start()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        for (var i = 0; i < 6; i++)
        {
            world.Deployment("shop", $"web{i}", replicas: 100); // 600 pods: two pages of 500
        }

        world.Kube.Faults.FailNext(KubeFault.Status(410, "Expired", "The provided continue parameter is too old to display a consistent list result."), 1,
            r => r.Verb == "list" && r.Is(ResourceTypes.Pod) && !string.IsNullOrEmpty(r.Query["continue"]));

        var run = await CliRun.AgainstAsync(world);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(4, world.Kube.Requests.ListCount(ResourceTypes.Pod)); // page 1, page 2 (410), page 1, page 2
        Assert.Equal(6, run.Out.Split('\n').Count(l => l.StartsWith("Deployment shop/web", StringComparison.Ordinal)));
    }
}
