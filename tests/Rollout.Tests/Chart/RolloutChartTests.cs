using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Rollout.Cli;
using Rollout.Tests.Support;
using Rollout.Watch;
using TestKit.Kube;
using TestKit.Kube.Server;
using TestKit.Processes;

namespace Rollout.Tests.Chart;

/// <summary>
/// The chart's rollout part: off by default; RBAC exactly what the watch needs, and proven enough by running the
/// watch against the stand-in with those rules enforced; the container's arguments are the program's own;
/// manifests/rollout current with the chart.
/// </summary>
public sealed class RolloutChartTests
{
    [Fact]
    public async Task Off_by_default()
    {
        var result = await Helm.TemplateAsync();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.DoesNotContain("# Source: injector/templates/rollout-", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("sidecar-rollout", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rbac_is_exactly_what_the_issue_lists()
    {
        var objects = await Helm.RolloutObjectsAsync("rollout.enabled=true");

        Assert.Equal(
        [
            ("", "pods", "get,list,watch", ""),
            ("apps", "replicasets", "get,list,watch", ""),
            ("apps", "deployments,statefulsets,daemonsets", "patch", ""),
            ("events.k8s.io", "events", "create", ""),
        ], Rules(Single(objects, "ClusterRole")));
        var role = Single(objects, "Role");
        Assert.Equal("sidecars-system", (string?)role["metadata"]!["namespace"]);
        Assert.Equal(
        [
            ("", "configmaps", "get,list,watch", "injector-config"),
            ("coordination.k8s.io", "leases", "create", ""),
            ("coordination.k8s.io", "leases", "get,update", "injector-sidecar-rollout"),
        ], Rules(role));
        Assert.Equal("injector-sidecar-rollout", (string?)Single(objects, "ClusterRoleBinding")["subjects"]![0]!["name"]);
        Assert.Equal("injector-sidecar-rollout", (string?)Single(objects, "RoleBinding")["subjects"]![0]!["name"]);
    }

    [Fact]
    public async Task The_containers_arguments_are_the_programs_and_follow_the_values()
    {
        var objects = await Helm.RolloutObjectsAsync("rollout.enabled=true", "rollout.interval=30s", "rollout.excludeNamespaces={kube-system,legacy}",
            "rollout.includeStatefulSets=true", "rollout.selector=tier=web", "rollout.replicaCount=2");
        var deployment = KubernetesJson.Deserialize<V1Deployment>(Single(objects, "Deployment").ToJsonString());
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);

        var request = RolloutCommandLine.Parse(container.Args.ToList(), new StringWriter(), new StringWriter());

        var watch = Assert.IsType<CliRequest.Watch>(request).Options;
        Assert.Equal(TimeSpan.FromSeconds(30), watch.Interval);
        Assert.Equal(TimeSpan.FromHours(1), watch.Cooldown);
        Assert.Equal(["kube-system", "legacy"], watch.Filters.ExcludeNamespaces.Order());
        Assert.True(watch.Filters.IncludeStatefulSets);
        Assert.False(watch.Filters.IncludeDaemonSets);
        Assert.Equal("tier=web", watch.LabelSelector);
        Assert.Equal("injector-config", watch.InjectorConfigMap);
        Assert.Equal("sidecars-system", watch.LeaseNamespace);
        Assert.Equal("injector-sidecar-rollout", watch.LeaseName);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("ghcr.io/sidecars-dev/sidecar-rollout:0.1.0", container.Image);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Contains(container.Env, e => e.Name == "POD_NAME" && e.ValueFrom.FieldRef.FieldPath == "metadata.name");
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
    }

    [Theory]
    [InlineData("rollout.interval=soon")]
    [InlineData("rollout.parallelRollouts=0")]
    [InlineData("rollout.logLevel=verbose")]
    [InlineData("rollout.annotationPrefix=Bad Prefix")]
    [InlineData("rollout.excludeNamespaces={Not_A_Namespace}")]
    [InlineData("rollout.unknown=1")]
    public async Task Bad_values_fail_the_install(string set)
    {
        var result = await Helm.TemplateAsync("rollout.enabled=true", set);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task The_watch_works_within_exactly_those_permissions()
    {
        var rbac = new RbacRules(await Helm.RolloutObjectsAsync("rollout.enabled=true"));
        await using var world = await World.StartAsync(options: new KubeApiServerOptions { Authorize = rbac.Allows });
        using var replacer = new PodReplacer(world);
        world.InjectorConfigMap(Configs.Yaml);
        world.Deployment("shop", "web");
        world.StatefulSet("db", "pg");
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(world.Kubeconfig));
        using var metrics = new WatchMetrics();
        var options = new WatchOptions
        {
            Interval = TimeSpan.FromMilliseconds(100),
            Settle = TimeSpan.FromMilliseconds(100),
            Filters = new global::Rollout.Selection.SelectionFilters { IncludeStatefulSets = true },
            LeaseName = "injector-sidecar-rollout",
        };
        var watcher = new RolloutWatcher(client, options, NullLoggerFactory.Instance, metrics, "rollout-0", "sidecars-system", election: new Controllers.Kube.LeaderElectionOptions
        {
            LeaseNamespace = "sidecars-system",
            LeaseName = "injector-sidecar-rollout",
            Identity = "rollout-0",
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        });
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(stop.Token));
        try
        {
            await Eventually.TrueAsync(() => watcher.IsLeader && watcher.Passes > 0, "the watch leads and passes", diagnostics: () => string.Join("; ", rbac.Denied));
            world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
            await Eventually.TrueAsync(() => watcher.Restarts == 2 && replacer.Replaced == 2, "both restarted", TimeSpan.FromSeconds(30), () => string.Join("; ", rbac.Denied));
            await Eventually.TrueAsync(() => world.Kube.Store.List(ResourceTypes.EventV1).Count == 2, "an Event each", diagnostics: () => string.Join("; ", rbac.Denied));
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
            client.Dispose();
        }

        Assert.Empty(rbac.Denied);
    }

    [Fact]
    public async Task Manifests_are_current_with_the_chart()
    {
        using var output = new TempDirectory("render-");
        var result = await TestProcess.RunAsync(new ProcessSpec("bash", [RepositoryPaths.Of("hack", "render-manifests"), output.Path])
        {
            WorkingDirectory = RepositoryPaths.Root,
            Environment = new Dictionary<string, string?> { ["PATH"] = Path.GetDirectoryName(Helm.Binary) + ":" + Environment.GetEnvironmentVariable("PATH") },
        });

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.True(File.ReadAllText(output.File("rollout/sidecar-rollout.yaml")) == File.ReadAllText(RepositoryPaths.Of("manifests", "rollout", "sidecar-rollout.yaml")),
            "manifests/rollout/sidecar-rollout.yaml is stale: run ./hack/render-manifests and commit the result");
    }

    private static JsonObject Single(List<JsonObject> objects, string kind) => Assert.Single(objects, o => (string?)o["kind"] == kind);

    private static List<(string Groups, string Resources, string Verbs, string Names)> Rules(JsonObject role) =>
        role["rules"]!.AsArray().Select(r => (
            string.Join(",", r!["apiGroups"]!.AsArray().Select(x => (string)x!)),
            string.Join(",", r["resources"]!.AsArray().Select(x => (string)x!)),
            string.Join(",", r["verbs"]!.AsArray().Select(x => (string)x!)),
            string.Join(",", (r["resourceNames"] as JsonArray ?? []).Select(x => (string)x!)))).ToList();
}
