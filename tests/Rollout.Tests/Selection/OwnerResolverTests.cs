using Rollout.Selection;
using Rollout.Tests.Support;
using static Rollout.Tests.Support.Objects;

namespace Rollout.Tests.Selection;

public sealed class OwnerResolverTests
{
    private static readonly OwnerResolver Resolver = new([
        ReplicaSet("shop", "web-5d8f9", Owner("Deployment", "web")),
        ReplicaSet("shop", "bare-rs"),
        ReplicaSet("shop", "argo-rs", Owner("Rollout", "canary", "argoproj.io/v1alpha1")),
        ReplicaSet("shop", "twice-rs", Owner("Deployment", "a"), Owner("Deployment", "b")),
    ]);

    [Fact]
    public void Pod_to_ReplicaSet_to_Deployment() =>
        Assert.Equal(new WorkloadRef(WorkloadKind.Deployment, "shop", "web"), Resolver.Resolve(OfReplicaSet("shop", "web-5d8f9", "web-5d8f9-x")).Workload);

    [Theory]
    [InlineData("StatefulSet", WorkloadKind.StatefulSet)]
    [InlineData("DaemonSet", WorkloadKind.DaemonSet)]
    public void Pod_to_StatefulSet_or_DaemonSet(string kind, WorkloadKind expected) =>
        Assert.Equal(new WorkloadRef(expected, "db", "pg"), Resolver.Resolve(Pod("db", "pg-0", Owner(kind, "pg"))).Workload);

    [Theory]
    [InlineData("bare pod (no owner)")]
    public void A_bare_pod_is_skipped(string reason)
    {
        var resolution = Resolver.Resolve(Pod("shop", "debug"));
        Assert.Null(resolution.Workload);
        Assert.Equal("Pod shop/debug", resolution.SkippedSubject);
        Assert.StartsWith(reason, resolution.SkipReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batch/v1", "Job", "migrate", "Job shop/migrate", "runs to completion")]
    [InlineData("v1", "Node", "node-1", "Pod shop/p", "static pod")]
    [InlineData("argoproj.io/v1alpha1", "Rollout", "canary", "Rollout.argoproj.io canary in shop", "this kind of owner is not restarted")]
    [InlineData("apps/v1", "ReplicaSet", "gone-rs", "ReplicaSet shop/gone-rs", "the pod's ReplicaSet was not found")]
    [InlineData("apps/v1", "ReplicaSet", "bare-rs", "ReplicaSet shop/bare-rs", "ReplicaSet without a Deployment")]
    [InlineData("apps/v1", "ReplicaSet", "argo-rs", "Rollout.argoproj.io canary in shop", "this kind of owner is not restarted")]
    [InlineData("apps/v1", "ReplicaSet", "twice-rs", "ReplicaSet shop/twice-rs", "more than one controller owner")]
    public void Other_owners_are_skipped_with_the_reason(string apiVersion, string kind, string name, string subject, string reason)
    {
        var resolution = Resolver.Resolve(Pod("shop", "p", Owner(kind, name, apiVersion)));

        Assert.Null(resolution.Workload);
        Assert.Equal(subject, resolution.SkippedSubject);
        Assert.StartsWith(reason, resolution.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ReplicaSet_recreated_under_the_same_name_is_not_the_pods_owner()
    {
        var resolution = Resolver.Resolve(Pod("shop", "p", Owner("ReplicaSet", "web-5d8f9", uid: "an-older-uid")));

        Assert.Null(resolution.Workload);
        Assert.StartsWith("the pod's ReplicaSet was not found", resolution.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_controllers_or_none_among_owners_are_skipped()
    {
        Assert.StartsWith("more than one controller", Resolver.Resolve(Pod("shop", "p", Owner("StatefulSet", "a"), Owner("DaemonSet", "b"))).SkipReason, StringComparison.Ordinal);
        Assert.StartsWith("no controller among its owners", Resolver.Resolve(Pod("shop", "p", Owner("StatefulSet", "a", controller: false))).SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_Deployments_excluded_ReplicaSets_are_not_read_and_that_is_the_reason()
    {
        var resolver = new OwnerResolver([], replicaSetsListed: false);

        Assert.StartsWith("Deployments are excluded", resolver.Resolve(OfReplicaSet("shop", "web-5d8f9", "p")).SkipReason, StringComparison.Ordinal);
    }
}
