using Shawarma.State;

namespace Shawarma.Tests.State;

public sealed class ActivityEvaluatorTests
{
    private const string Pod = "web-1";
    private static readonly string[] Web = ["web"];

    private static EndpointSliceInfo Slice(string service, params (string? Pod, bool Ready)[] endpoints) =>
        new(service + "-" + Guid.NewGuid().ToString("N")[..5], service, [.. endpoints.Select(e => new SliceEndpoint(e.Pod, e.Ready))]);

    [Fact]
    public void Ready_endpoint_of_the_pod_is_active()
    {
        var state = ActivityEvaluator.Evaluate(Pod, Web, [Slice("web", ("web-0", true), (Pod, true))]);
        Assert.True(state.IsActive);
        Assert.Equal(Web, state.ActiveServices);
        Assert.Equal("""{"status":"active","activeServices":["web"]}""", state.Json);
    }

    [Fact]
    public void Not_ready_endpoint_is_inactive()
    {
        var state = ActivityEvaluator.Evaluate(Pod, Web, [Slice("web", (Pod, false))]);
        Assert.False(state.IsActive);
        Assert.Equal("""{"status":"inactive","activeServices":[]}""", state.Json);
    }

    [Fact]
    public void No_slices_or_no_services_is_inactive()
    {
        Assert.Equal(DeploymentState.Inactive, ActivityEvaluator.Evaluate(Pod, Web, []));
        Assert.Equal(DeploymentState.Inactive, ActivityEvaluator.Evaluate(Pod, [], [Slice("web", (Pod, true))]));
    }

    [Fact]
    public void Other_pods_and_non_pod_targets_do_not_count()
    {
        var state = ActivityEvaluator.Evaluate(Pod, Web, [Slice("web", ("web-10", true), (null, true), ("WEB-1", true))]);
        Assert.False(state.IsActive);
    }

    [Fact]
    public void Slices_of_unmatched_services_do_not_count()
    {
        var state = ActivityEvaluator.Evaluate(Pod, Web, [Slice("admin", (Pod, true)), new EndpointSliceInfo("orphan", null, [new(Pod, true)])]);
        Assert.False(state.IsActive);
    }

    [Fact]
    public void Any_ready_slice_of_a_service_makes_it_active_even_if_another_slice_lists_the_pod_not_ready()
    {
        var state = ActivityEvaluator.Evaluate(Pod, Web, [Slice("web", (Pod, false)), Slice("web", (Pod, true))]);
        Assert.Equal(Web, state.ActiveServices);
    }

    [Fact]
    public void Several_services_are_listed_sorted_and_once()
    {
        var state = ActivityEvaluator.Evaluate(
            Pod,
            ["web", "api", "admin"],
            [Slice("web", (Pod, true)), Slice("api", (Pod, true)), Slice("web", (Pod, true)), Slice("admin", (Pod, false))]);
        Assert.Equal(["api", "web"], state.ActiveServices);
        Assert.Equal("""{"status":"active","activeServices":["api","web"]}""", state.Json);
    }

    [Fact]
    public void States_compare_by_value()
    {
        Assert.Equal(new DeploymentState(["b", "a"]), new DeploymentState(["a", "b", "a"]));
        Assert.NotEqual(new DeploymentState(["a"]), DeploymentState.Inactive);
        Assert.Equal(new DeploymentState([]), DeploymentState.Inactive);
        Assert.Equal("""{"status":"active","activeServices":["a\"b"]}""", new DeploymentState(["a\"b"]).Json);
    }

    [Fact]
    public void Match_services_by_name_labels_or_both()
    {
        ServiceInfo[] services =
        [
            new("web", new Dictionary<string, string> { ["app"] = "shop", ["tier"] = "front" }),
            new("web-canary", new Dictionary<string, string> { ["app"] = "shop", ["tier"] = "canary" }),
            new("admin", new Dictionary<string, string> { ["app"] = "backoffice" }),
        ];
        var none = new Dictionary<string, string>();
        Assert.Equal(["web"], ActivityEvaluator.MatchServices(services, "web", none));
        Assert.Equal(["web", "web-canary"], ActivityEvaluator.MatchServices(services, null, new Dictionary<string, string> { ["app"] = "shop" }));
        Assert.Equal(["web-canary"], ActivityEvaluator.MatchServices(services, null, new Dictionary<string, string> { ["app"] = "shop", ["tier"] = "canary" }));
        Assert.Equal(["web"], ActivityEvaluator.MatchServices(services, "web", new Dictionary<string, string> { ["app"] = "shop" }));
        Assert.Empty(ActivityEvaluator.MatchServices(services, "admin", new Dictionary<string, string> { ["app"] = "shop" }));
        Assert.Empty(ActivityEvaluator.MatchServices(services, null, new Dictionary<string, string> { ["missing"] = "x" }));
    }
}
