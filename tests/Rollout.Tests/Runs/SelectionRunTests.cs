using System.Text.Json.Nodes;
using Rollout.Tests.Support;
using TestKit.Kube;

namespace Rollout.Tests.Runs;

/// <summary>Filters as the API server sees them: namespaces and selectors are list parameters, not client loops.</summary>
public sealed class SelectionRunTests
{
    [Fact]
    public async Task Included_namespaces_are_listed_one_by_one_and_the_rest_never()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("pay", "api");
        world.Deployment("kube-system", "dns");

        var run = await CliRun.AgainstAsync(world, "--include-namespace", "shop", "--include-namespace", "pay");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotNull(run.Why("Deployment shop/web"));
        Assert.NotNull(run.Why("Deployment pay/api"));
        Assert.Null(run.Why("Deployment kube-system/dns"));
        var lists = world.Kube.Requests.Where(r => r.Verb == "list");
        Assert.All(lists, l => Assert.Contains(l.Namespace, new[] { "shop", "pay" }));
        Assert.Equal(2, lists.Count(l => l.Is(ResourceTypes.Pod)));
    }

    [Fact]
    public async Task Without_included_namespaces_each_kind_is_one_cluster_wide_list()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("kube-system", "dns");

        var run = await CliRun.AgainstAsync(world, "--exclude-namespace", "kube-system", "--include-statefulset", "--include-daemonset");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Null(run.Why("Deployment kube-system/dns"));
        var lists = world.Kube.Requests.Where(r => r.Verb == "list").ToList();
        Assert.Equal(["daemonsets", "deployments", "poddisruptionbudgets", "pods", "replicasets", "statefulsets"], lists.Select(l => l.Resource!.Plural).Order());
        Assert.All(lists, l => Assert.Null(l.Namespace));
        Assert.Equal(1, world.Kube.Requests.Count(r => r.Verb == "get")); // the ConfigMap
    }

    [Fact]
    public async Task The_label_selector_and_the_injected_label_go_to_the_server()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");
        world.Deployment("shop", "cart");

        var run = await CliRun.AgainstAsync(world, "-l", "app=cart");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Null(run.Why("Deployment shop/web"));
        Assert.NotNull(run.Why("Deployment shop/cart"));
        var podList = Assert.Single(world.Kube.Requests.Where(r => r.Verb == "list" && r.Is(ResourceTypes.Pod)));
        Assert.Equal("sidecars.dev/injected=true,app=cart", podList.Query["labelSelector"]);
    }

    [Fact]
    public async Task By_container_name_native_sidecars_in_init_containers_count_and_no_config_is_read()
    {
        await using var world = await World.StartAsync();
        world.Deployment("shop", "web"); // appup is a native sidecar: an init container
        world.Deployment("shop", "classic", customize: d => d.Set("spec.template.metadata.annotations", new JsonObject
        {
            [AnnotationKeys.Inject] = "shawarma",
            [AnnotationKeys.ShawarmaService] = "classic",
            [AnnotationKeys.Mode] = "classic",
        }));

        var run = await CliRun.AgainstAsync(world, "--sidecar-container-name=appup", "--sidecar-container-name=shawarma", "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("has container appup", run.Detail("restarted", "Deployment shop/web"));
        Assert.Equal("has container shawarma", run.Detail("restarted", "Deployment shop/classic"));
        Assert.DoesNotContain(world.Kube.Requests.All, r => r.Is(ResourceTypes.ConfigMap));
        Assert.Null(Assert.Single(world.Kube.Requests.Where(r => r.Verb == "list" && r.Is(ResourceTypes.Pod))).Query["labelSelector"]);
    }

    [Fact]
    public async Task Only_pods_started_before_the_given_time_count()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "old");
        world.Deployment("shop", "new");
        foreach (var pod in world.Kube.Store.List(ResourceTypes.Pod, "shop"))
        {
            var started = pod.Name()!.StartsWith("new", StringComparison.Ordinal) ? "2025-05-01T12:00:00Z" : "2025-04-01T12:00:00Z";
            world.Kube.Store.Mutate(ResourceTypes.Pod, "shop", pod.Name()!, p => p.Set("status.startTime", started), "status");
        }

        var run = await CliRun.AgainstAsync(world, "--only-started-before", "2025-05-01T00:00:00Z");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotNull(run.Why("Deployment shop/old"));
        Assert.Null(run.Why("Deployment shop/new"));
    }

    [Fact]
    public async Task A_change_to_one_sidecar_restarts_only_the_workloads_that_carry_it()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.ShawarmaMemoryLimit("96Mi"));
        world.Deployment("shop", "web", "appup");
        world.Deployment("shop", "cart", "appup,shawarma");
        world.Deployment("shop", "jobs", "proa");

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["cart"], world.Kube.Requests.Writes().Select(w => w.Name));
        Assert.Equal("shawarma resources.limits.memory 48Mi -> 96Mi", run.Detail("restarted", "Deployment shop/cart"));
    }
}
