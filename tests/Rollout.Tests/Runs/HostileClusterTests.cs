using System.Text.Json.Nodes;
using Rollout.Tests.Support;
using TestKit.Kube;

namespace Rollout.Tests.Runs;

/// <summary>
/// Clusters that are odd rather than broken: an injector ConfigMap without its key or with YAML that does not
/// parse, namespaces that do not exist, status annotations forged or as large as the API server allows, a workload
/// paused while its restart is waited for. Each is a clear answer, never a crash or a hang.
/// </summary>
public sealed class HostileClusterTests
{
    [Theory]
    [InlineData(null, "has no key config.yaml")]
    [InlineData("sidecars: [unclosed\n", "ConfigMap sidecars-system/injector-config")]
    [InlineData("\t- tab: indented: yaml\n", "ConfigMap sidecars-system/injector-config")]
    [InlineData("appup: {image: 3}\n", "ConfigMap sidecars-system/injector-config")]
    public async Task A_config_map_without_the_key_or_with_bad_yaml_is_exit_1_in_one_sentence(string? yaml, string expected)
    {
        await using var world = await World.StartAsync();
        world.Deployment("shop", "web");
        world.Kube.Store.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "injector-config", ["namespace"] = "sidecars-system" },
            ["data"] = yaml is null ? new JsonObject { ["other.yaml"] = "x: 1" } : new JsonObject { ["config.yaml"] = yaml },
        });

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 1, run.ToString());
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(errors, l => l.Contains("ERROR", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
        Assert.Empty(world.Kube.Requests.Writes());
    }

    [Fact]
    public async Task Included_namespaces_that_do_not_exist_restart_nothing_and_are_not_an_error()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web");

        var run = await CliRun.AgainstAsync(world, "--confirm", "--include-namespace", "nope,also-nope");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(world.Kube.Requests.Writes());
    }

    [Fact]
    public async Task Forged_and_oversized_status_annotations_never_crash_and_restart_nothing()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.Yaml); // the config the pods were injected with: nothing is out of date
        var forgeries = new[]
        {
            "{\"version\":2,\"sidecars\":[\"appup\",\"appup\",\"../../etc\"],\"injected\":{\"appup\":{\"hash\":" + new string('9', 400) + "}}}",
            "{\"version\":99}",
            "[]",
            "null",
            "{\"version\":2,\"sidecars\":[\"proa\"],\"injected\":{\"proa\":{\"image\":\"\\u001b[31mred\",\"hash\":\"x\"}}}",
            "{\"version\":1,\"sidecars\":[" + string.Join(",", Enumerable.Repeat("\"appup\"", 20_000)) + "]}",
            "{\"a\":" + new string('[', 10_000) + new string(']', 10_000) + "}",
            new string('x', 255 * 1024),
        };
        for (var i = 0; i < forgeries.Length; i++)
        {
            var status = forgeries[i];
            world.Deployment("shop", $"forged-{i}", pods: 0);
            var template = (JsonObject)world.Kube.Store.Get(ResourceTypes.Deployment, "shop", $"forged-{i}")!["spec"]!["template"]!;
            var rs = world.Kube.Store.Get(ResourceTypes.ReplicaSet, "shop", $"forged-{i}-5d8f9")!;
            world.Pod("shop", $"forged-{i}-pod", template, World.Owner("apps/v1", "ReplicaSet", rs.Name()!, rs.StringAt("metadata.uid")!), Configs.Old,
                customize: p => p["metadata"]!["annotations"]![AnnotationKeys.Status] = status);
        }

        var run = await CliRun.AgainstAsync(world, "--confirm");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(world.Kube.Requests.Writes());
        Assert.DoesNotContain("\u001b", run.Out + run.Error, StringComparison.Ordinal);
        Assert.All(run.Out.Split('\n'), l => Assert.True(l.Length < 400, "a bounded line: " + l[..Math.Min(200, l.Length)]));
    }

    [Fact]
    public async Task A_deployment_paused_while_its_restart_is_waited_for_fails_at_once_and_says_so()
    {
        await using var world = await World.StartAsync();
        world.InjectorConfigMap(Configs.AppUpImage("0.2.0"));
        world.Deployment("shop", "web", replicas: 4);
        world.Kube.Store.Changed += change =>
        {
            if (change.Type.Kind == "Deployment" && change.Name == "web" && change.After.LongAt("metadata.generation") == 2 && change.Before?.LongAt("metadata.generation") == 1)
            {
                _ = Task.Run(() => world.Kube.Store.Mutate(ResourceTypes.Deployment, "shop", "web", d => d.Set("spec.paused", true)));
            }
        };

        var run = await CliRun.AgainstAsync(world, "--confirm", "--timeout", "2m");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("is paused: the restart rolls out when it is resumed", run.Detail("failed", "Deployment shop/web"), StringComparison.Ordinal);
    }
}
