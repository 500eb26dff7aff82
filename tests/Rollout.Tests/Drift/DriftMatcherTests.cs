using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Rollout.Drift;
using Rollout.Tests.Support;

namespace Rollout.Tests.Drift;

/// <summary>Pods of one controller injected alike share one engine run; any difference that matters gets its own.</summary>
public sealed class DriftMatcherTests
{
    [Fact]
    public void Pods_of_one_ReplicaSet_injected_alike_are_judged_once()
    {
        var matcher = new DriftMatcher(new DriftDetector(Configs.Parse(Configs.AppUpImage("0.2.0"))));

        var verdicts = Enumerable.Range(0, 5).Select(i => matcher.Match(Pod($"web-{i}", "rs-uid-1"))).ToList();

        Assert.All(verdicts, v => Assert.Equal(["appup image 0.1.0 -> 0.2.0"], v.Reasons));
        Assert.Equal(5, matcher.Inspected);
        Assert.Equal(1, matcher.Judged);
    }

    [Fact]
    public void A_pod_of_the_same_ReplicaSet_injected_under_another_config_or_edited_is_judged_apart()
    {
        var matcher = new DriftMatcher(new DriftDetector(Configs.Parse(Configs.AppUpImage("0.2.0"))));

        var old = matcher.Match(Pod("web-0", "rs-uid-1"));
        var current = matcher.Match(Pod("web-1", "rs-uid-1", Configs.Parse(Configs.AppUpImage("0.2.0"))));
        var otherOwner = matcher.Match(Pod("web-2", "rs-uid-2"));

        Assert.True(old.Matches);
        Assert.False(current.Matches);
        Assert.True(otherOwner.Matches);
        Assert.Equal(3, matcher.Judged);
    }

    [Fact]
    public void Pods_without_a_controller_are_always_judged()
    {
        var matcher = new DriftMatcher(new DriftDetector(Configs.Old));

        matcher.Match(Pod("a", null));
        matcher.Match(Pod("b", null));

        Assert.Equal(2, matcher.Judged);
    }

    private static V1Pod Pod(string name, string? ownerUid, Injector.Core.Configuration.InjectorConfig? config = null)
    {
        var json = Pods.Injected("appup", config ?? Configs.Old);
        json["metadata"]!["name"] = name;
        if (ownerUid is not null)
        {
            json["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web-rs", ["uid"] = ownerUid, ["controller"] = true });
        }

        return KubernetesJson.Deserialize<V1Pod>(json.ToJsonString());
    }
}
