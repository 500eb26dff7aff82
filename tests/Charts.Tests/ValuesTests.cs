using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Charts.Tests;

/// <summary>values.schema.json rejects unknown keys and bad enums; contradictory values fail with a clear message.</summary>
public sealed class ValuesTests
{
    [Theory]
    [InlineData("bogus=1", "additional properties 'bogus' not allowed")]
    [InlineData("webhook.failurPolicy=Fail", "additional properties 'failurPolicy' not allowed")]
    [InlineData("tls.certManager.issuer=x", "additional properties 'issuer' not allowed")]
    [InlineData("config.sidecars.envoy.image.repository=x", "additional properties 'envoy' not allowed")]
    [InlineData("tls.mode=vault", "tls/mode")]
    [InlineData("webhook.failurePolicy=Maybe", "webhook/failurePolicy")]
    [InlineData("webhook.timeoutSeconds=60", "webhook/timeoutSeconds")]
    [InlineData("config.defaultMode=sidecar", "config/defaultMode")]
    [InlineData("replicaCount=0", "replicaCount")]
    public void Schema_rejects(string set, string message)
    {
        var result = HelmChart.Template(set);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("schema", result.StdErr);
        Assert.Contains(message, result.StdErr);
    }

    [Theory]
    [InlineData(new[] { "tls.mode=helm", "tls.certManager.issuerRef.name=corp" }, "tls.certManager.issuerRef.name is set (\"corp\") but tls.mode is \"helm\"")]
    [InlineData(new[] { "serviceAccount.create=false" }, "serviceAccount.create is false but serviceAccount.name is empty")]
    [InlineData(new[] { "rbac.create=false" }, "rbac.sidecarRoleBindings.enabled is true but rbac.create is false")]
    [InlineData(new[] { "podDisruptionBudget.maxUnavailable=1" }, "minAvailable and podDisruptionBudget.maxUnavailable are both set")]
    [InlineData(new[] { "replicaCount=1" }, "podDisruptionBudget.minAvailable (1) must be lower than replicaCount (1)")]
    [InlineData(new[] { "ports.health=8443" }, "ports.webhook and ports.health are both 8443")]
    [InlineData(new[] { "podAntiAffinity=hard", "affinity.nodeAffinity.x=y" }, "affinity is set and podAntiAffinity is \"hard\"")]
    public void Contradictory_values_fail_clearly(string[] sets, string message)
    {
        var result = HelmChart.Template(sets);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.StdErr);
    }

    [Fact]
    public void Consistent_alternatives_render()
    {
        HelmChart.Render("replicaCount=1", "podDisruptionBudget.enabled=false");
        HelmChart.Render("podDisruptionBudget.minAvailable=", "podDisruptionBudget.maxUnavailable=50%");
        HelmChart.Render("rbac.create=false", "rbac.sidecarRoleBindings.enabled=false");
        HelmChart.Render("serviceAccount.create=false", "serviceAccount.name=platform");
    }

    [Fact]
    public void Every_value_is_documented_and_in_the_schema()
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Chart, "values.yaml"));
        var schema = File.ReadAllText(Path.Combine(Repo.Chart, "values.schema.json"));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith('-') || !trimmed.Contains(':'))
            {
                continue;
            }

            var key = trimmed[..trimmed.IndexOf(':')];
            var isLeaf = trimmed.Length > key.Length + 1;
            var underResources = IsUnder(lines, i, "resources:") || IsUnder(lines, i, "securityContext:") ||
                IsUnder(lines, i, "podSecurityContext:") || IsUnder(lines, i, "nodeSelector:");
            if (isLeaf && !underResources)
            {
                Assert.True(i > 0 && lines[i - 1].TrimStart().StartsWith('#'),
                    $"values.yaml line {i + 1} ({key}) has no comment above it");
            }

            if (!underResources)
            {
                Assert.Contains($"\"{key}\"", schema);
            }
        }
    }

    private static bool IsUnder(string[] lines, int index, string parent)
    {
        var indent = lines[index].Length - lines[index].TrimStart().Length;
        for (var j = index - 1; j >= 0; j--)
        {
            var t = lines[j].TrimStart();
            if (t.Length == 0 || t.StartsWith('#'))
            {
                continue;
            }

            var ind = lines[j].Length - t.Length;
            if (ind < indent)
            {
                if (t == parent)
                {
                    return true;
                }

                indent = ind;
            }
        }

        return false;
    }

    [Fact]
    public void Config_map_renders_the_injector_config()
    {
        var r = HelmChart.Render();
        var cm = r.Named<V1ConfigMap>("injector-config");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(cm.Data["config.yaml"]));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal("native", root["defaultMode"].ToString());
        Assert.Equal("IfNotPresent", root["imagePullPolicy"].ToString());
        Assert.Equal("false", root["allowImageOverride"].ToString());
        var sidecars = (YamlMappingNode)root["sidecars"];
        foreach (var name in new[] { "appup", "shawarma", "proa" })
        {
            var s = (YamlMappingNode)sidecars[name];
            Assert.Equal($"ghcr.io/sidecars-dev/{name}:0.1.0", s["image"].ToString());
            Assert.NotNull(((YamlMappingNode)s["resources"])["requests"]);
        }

        var sc = (YamlMappingNode)root["securityContext"];
        Assert.Equal("true", sc["runAsNonRoot"].ToString());
        Assert.Equal("true", sc["readOnlyRootFilesystem"].ToString());
        Assert.Equal("false", sc["allowPrivilegeEscalation"].ToString());
        Assert.Equal("ALL", ((YamlSequenceNode)((YamlMappingNode)sc["capabilities"])["drop"]).Children[0].ToString());
    }

    [Fact]
    public void The_default_values_render_the_built_in_config()
    {
        // One set of defaults: `dotnet run` (built-in config) and `helm install` (chart defaults) inject the same pods,
        // and the sidecars' memory settings (src/Sidecars.Aot.props) are tuned for these limits.
        var config = Injector.Core.Configuration.InjectorConfig.Parse(HelmChart.Render().Named<V1ConfigMap>("injector-config").Data["config.yaml"]);

        Assert.Equal(Injector.Core.Configuration.InjectorConfig.Default.Revision, config.Revision);
    }
}
