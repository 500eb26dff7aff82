using k8s.Models;
using Rollout.Selection;
using Rollout.Tests.Support;
using static Rollout.Tests.Support.Objects;

namespace Rollout.Tests.Selection;

/// <summary>Every filter alone and together, on a fixed set of pods, with a matcher that matches by pod name.</summary>
public sealed class WorkloadSelectorTests
{
    private static readonly OwnerResolver Owners = new([
        ReplicaSet("shop", "web-rs", Owner("Deployment", "web")),
        ReplicaSet("pay", "api-rs", Owner("Deployment", "api")),
        ReplicaSet("kube-system", "dns-rs", Owner("Deployment", "coredns")),
    ]);

    private static readonly V1Pod[] World =
    [
        OfReplicaSet("shop", "web-rs", "web-1"),
        OfReplicaSet("shop", "web-rs", "web-2"),
        OfReplicaSet("pay", "api-rs", "api-1"),
        OfReplicaSet("kube-system", "dns-rs", "dns-1"),
        Pod("db", "pg-0", Owner("StatefulSet", "pg")),
        Pod("ops", "agent-a", Owner("DaemonSet", "agent")),
        Pod("shop", "migrate-x", Owner("Job", "migrate", "batch/v1")),
        Pod("shop", "debug"),
    ];

    [Fact]
    public void By_default_Deployments_only_each_once_the_rest_skipped_with_reasons()
    {
        var result = Select(new SelectionFilters());

        Assert.Equal(["Deployment kube-system/coredns", "Deployment pay/api", "Deployment shop/web"], result.Workloads.Select(w => w.Workload.ToString()));
        Assert.Equal(2, result.Workloads.Single(w => w.Workload.Name == "web").MatchedPods);
        Assert.Equal(["DaemonSet ops/agent", "Job shop/migrate", "Pod shop/debug", "StatefulSet db/pg"], result.Skipped.Select(s => s.Subject));
    }

    [Fact]
    public void Include_and_exclude_kinds()
    {
        var all = Select(new SelectionFilters { IncludeStatefulSets = true, IncludeDaemonSets = true });
        var none = Select(new SelectionFilters { IncludeDeployments = false });

        Assert.Equal(5, all.Workloads.Count);
        Assert.Empty(none.Workloads);
        Assert.Contains(none.Skipped, s => s.Subject == "Deployment shop/web" && s.Reason.Contains("--exclude-deployments", StringComparison.Ordinal));
    }

    [Fact]
    public void Include_and_exclude_namespaces()
    {
        var included = Select(new SelectionFilters { IncludeNamespaces = Set("shop", "pay") });
        var excluded = Select(new SelectionFilters { ExcludeNamespaces = Set("kube-system") });
        var both = Select(new SelectionFilters { IncludeNamespaces = Set("shop", "pay"), ExcludeNamespaces = Set("pay") });

        Assert.Equal(["pay/api", "shop/web"], included.Workloads.Select(w => $"{w.Workload.Namespace}/{w.Workload.Name}"));
        Assert.DoesNotContain(excluded.Workloads, w => w.Workload.Namespace == "kube-system");
        Assert.Equal(["shop/web"], both.Workloads.Select(w => $"{w.Workload.Namespace}/{w.Workload.Name}"));
        Assert.DoesNotContain(both.Skipped, s => s.Subject.Contains("db/", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_pods_started_before_count()
    {
        var pods = World.Select(p => p).ToArray();
        pods[0].Status.StartTime = new DateTime(2025, 5, 1, 12, 0, 0, DateTimeKind.Utc); // web-1: after the cut
        pods[1].Status.StartTime = null; // web-2: not started; created after the cut
        pods[1].Metadata.CreationTimestamp = new DateTime(2025, 5, 1, 11, 0, 0, DateTimeKind.Utc);
        var result = WorkloadSelector.Select(pods, Owners, new NameMatcher(), new SelectionFilters { StartedBefore = new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero) });

        Assert.DoesNotContain(result.Workloads, w => w.Workload.Name == "web");
        Assert.Contains(result.Workloads, w => w.Workload.Name == "api");
    }

    [Fact]
    public void Finished_and_terminating_pods_are_leftovers_not_reasons()
    {
        var evicted = OfReplicaSet("shop", "web-rs", "web-evicted");
        evicted.Status.Phase = "Failed";
        var leaving = OfReplicaSet("pay", "api-rs", "api-leaving");
        leaving.Metadata.DeletionTimestamp = DateTime.UtcNow;

        var result = WorkloadSelector.Select([evicted, leaving], Owners, new NameMatcher(), new SelectionFilters());

        Assert.Empty(result.Workloads);
        Assert.Equal(0, result.PodsExamined);
    }

    [Fact]
    public void One_blocked_pod_blocks_its_workload_with_the_reason()
    {
        var result = WorkloadSelector.Select([OfReplicaSet("shop", "web-rs", "web-1"), OfReplicaSet("shop", "web-rs", "blocked-2")], Owners, new NameMatcher(), new SelectionFilters());

        Assert.Empty(result.Workloads);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("Deployment shop/web", skipped.Subject);
        Assert.Equal("the injector would now deny its pods", skipped.Reason);
    }

    [Fact]
    public void Reasons_are_distinct_over_the_workloads_pods_in_order()
    {
        var matcher = new ReasonMatcher(new() { ["web-1"] = ["appup image 0.1.0 -> 0.2.0"], ["web-2"] = ["appup image 0.1.0 -> 0.2.0", "shawarma image 0.1.0 -> 0.2.0"] });

        var result = WorkloadSelector.Select([OfReplicaSet("shop", "web-rs", "web-1"), OfReplicaSet("shop", "web-rs", "web-2")], Owners, matcher, new SelectionFilters());

        Assert.Equal("appup image 0.1.0 -> 0.2.0; shawarma image 0.1.0 -> 0.2.0", Assert.Single(result.Workloads).Because);
    }

    [Fact]
    public void By_container_name_containers_and_init_containers_count()
    {
        var native = OfReplicaSet("shop", "web-rs", "web-1");
        native.Spec.InitContainers = [new V1Container { Name = "istio-proxy", RestartPolicy = "Always" }];
        var classic = OfReplicaSet("pay", "api-rs", "api-1");
        classic.Spec.Containers.Add(new V1Container { Name = "istio-proxy" });
        var neither = OfReplicaSet("kube-system", "dns-rs", "dns-1");

        var result = WorkloadSelector.Select([native, classic, neither], Owners, new ContainerNameMatcher(["istio-proxy", "linkerd-proxy"]), new SelectionFilters());

        Assert.Equal(["pay/api", "shop/web"], result.Workloads.Select(w => $"{w.Workload.Namespace}/{w.Workload.Name}"));
        Assert.Equal("has container istio-proxy", result.Workloads[0].Because);
    }

    private static SelectionResult Select(SelectionFilters filters) => WorkloadSelector.Select(World, Owners, new NameMatcher(), filters);

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

    /// <summary>Matches every pod; a pod named blocked-* blocks.</summary>
    private sealed class NameMatcher : IPodMatcher
    {
        public PodMatch Match(V1Pod pod) => pod.Metadata.Name.StartsWith("blocked", StringComparison.Ordinal)
            ? PodMatch.Blocked("the injector would now deny its pods")
            : PodMatch.Because(["outdated"]);
    }

    private sealed class ReasonMatcher(Dictionary<string, string[]> reasons) : IPodMatcher
    {
        public PodMatch Match(V1Pod pod) => PodMatch.Because(reasons[pod.Metadata.Name]);
    }
}
