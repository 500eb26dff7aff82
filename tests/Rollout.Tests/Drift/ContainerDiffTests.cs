using System.Text.Json.Nodes;
using Rollout.Drift;

namespace Rollout.Tests.Drift;

public sealed class ContainerDiffTests
{
    [Theory]
    [InlineData("ghcr.io/x/appup:0.1.0", "ghcr.io/x/appup:0.2.0", "0.1.0 -> 0.2.0")]
    [InlineData("ghcr.io/x/appup:0.1.0", "registry.local:5000/x/appup:0.1.0", "ghcr.io/x/appup:0.1.0 -> registry.local:5000/x/appup:0.1.0")]
    [InlineData("registry.local:5000/appup", "registry.local:5000/appup:1", "latest -> 1")]
    [InlineData("ghcr.io/x/appup:0.1.0@sha256:aa", "ghcr.io/x/appup@sha256:bb", "sha256:aa -> sha256:bb")]
    public void Images_read_as_people_read_them(string before, string after, string expected) =>
        Assert.Equal(expected, ImageChange.Describe(before, after));

    [Fact]
    public void Fields_env_quantities_and_a_cap()
    {
        var before = JsonNode.Parse("""
            {"name":"appup","image":"a:1","imagePullPolicy":"IfNotPresent","resources":{"requests":{"cpu":"0.5","memory":"8Mi"},"limits":{"memory":"32Mi"}},
             "env":[{"name":"UP_PORT","value":"9999"},{"name":"GONE","value":"x"}],"securityContext":{"runAsUser":65532},"terminationMessagePath":"/dev/termination-log"}
            """)!.AsObject();
        var after = JsonNode.Parse("""
            {"name":"appup","image":"a:2","imagePullPolicy":"Always","resources":{"requests":{"cpu":"500m","memory":"8Mi"},"limits":{"memory":"64Mi"}},
             "env":[{"name":"UP_PORT","value":"9998"},{"name":"NEW","value":"y"}],"securityContext":{"runAsUser":65532},"terminationMessagePath":"/dev/termination-log"}
            """)!.AsObject();

        var changes = ContainerDiff.Describe(before, after);

        Assert.Equal(["image 1 -> 2", "imagePullPolicy IfNotPresent -> Always", "resources.limits.memory 32Mi -> 64Mi", "env GONE removed", "2 more changes"], changes);
    }

    [Fact]
    public void Added_and_removed_containers()
    {
        Assert.Equal(["container appup would be added"], ContainerDiff.Describe(null, JsonNode.Parse("""{"name":"appup"}""")!.AsObject()));
        Assert.Equal(["container appup would be removed"], ContainerDiff.Describe(JsonNode.Parse("""{"name":"appup"}""")!.AsObject(), null));
        Assert.Empty(ContainerDiff.Describe(null, null));
    }

    [Fact]
    public void Control_characters_and_long_values_stay_one_short_line()
    {
        var changes = ContainerDiff.Describe(
            JsonNode.Parse("""{"name":"a","env":[{"name":"X","value":"short"}]}""")!.AsObject(),
            JsonNode.Parse($$"""{"name":"a","env":[{"name":"X","value":"{{new string('v', 500)}}"}]}""")!.AsObject());

        Assert.True(Assert.Single(changes).Length < 100);
    }
}
