using System.Text.Json.Nodes;
using Injector.Core.Configuration;
using Injector.Core.Engine;
using Injector.Core.Tests.Support;
using Injector.Core.Yaml;

namespace Injector.Core.Tests;

public sealed class InjectorConfigTests
{
    [Fact]
    public void Built_in_config_has_every_sidecar_and_a_stable_revision()
    {
        Assert.Equal(SidecarMode.Native, InjectorConfig.Default.DefaultMode);
        Assert.Equal(3, InjectorConfig.Default.Sidecars.Count);
        Assert.Equal(InjectorConfig.Default.Revision, InjectorConfig.Parse(InjectorConfig.DefaultYaml + "\n# comment\n").Revision);
        Assert.Equal(12, InjectorConfig.Default.Revision.Length);
    }

    [Fact]
    public void Partial_file_takes_defaults_for_the_rest()
    {
        var config = InjectorConfig.Parse("defaultMode: classic\nsidecars:\n  proa:\n    image: my/proa:1\n");

        Assert.Equal(SidecarMode.Classic, config.DefaultMode);
        Assert.Equal("my/proa:1", config.Sidecars["proa"].Image);
        Assert.Equal(InjectorConfig.Default.Sidecars["appup"].Image, config.Sidecars["appup"].Image);
        Assert.NotEqual(InjectorConfig.Default.Revision, config.Revision);
    }

    [Theory]
    [InlineData("defaultMode: sidecar", "defaultMode 'sidecar' is not valid: use native or classic")]
    [InlineData("imagePullPolicy: Sometimes", "use Always, IfNotPresent, Never")]
    [InlineData("sidecarz: {}", "unknown key 'sidecarz'")]
    [InlineData("sidecars:\n  envoy: {}", "config sidecars has unknown key 'envoy'")]
    [InlineData("sidecars:\n  appup:\n    image: ''", "sidecars.appup.image is required")]
    [InlineData("allowImageOverride: maybe", "allowImageOverride must be true or false")]
    [InlineData("a: [", "not valid YAML")]
    public void Bad_config_says_which_key_and_what_is_valid(string yaml, string expected)
    {
        var ex = Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(yaml));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData("securityContext: {runAsUser: 1e999}", "config securityContext.runAsUser must be an integer")]
    [InlineData("securityContext: {runAsUser: \"65532\"}", "config securityContext.runAsUser must be an integer")]
    [InlineData("securityContext: {runAsUser: 1.5}", "config securityContext.runAsUser must be an integer")]
    [InlineData("securityContext: {runAsUser: -1}", "config securityContext.runAsUser must be between 0 and 2147483647")]
    [InlineData("securityContext: {runAsGroup: 4294967296}", "config securityContext.runAsGroup must be between 0 and 2147483647")]
    [InlineData("securityContext: {runAsNonRoot: \"yes\"}", "config securityContext.runAsNonRoot must be true or false")]
    [InlineData("securityContext: {runAsUsr: 1}", "config securityContext has unknown key 'runAsUsr'")]
    [InlineData("securityContext: {capabilities: {drop: ALL}}", "config securityContext.capabilities.drop must be a list of strings")]
    [InlineData("securityContext: {seccompProfile: {type: Strict}}", "config securityContext.seccompProfile.type 'Strict' is not valid")]
    [InlineData("securityContext: {seccompProfile: {type: Localhost}}", "config securityContext.seccompProfile.localhostProfile is required")]
    [InlineData("securityContext: {privileged: true, allowPrivilegeEscalation: false}", "cannot set allowPrivilegeEscalation to false and privileged to true")]
    [InlineData("securityContext: {runAsNonRoot: true, runAsUser: 0}", "runAsNonRoot is true but runAsUser is 0")]
    [InlineData("securityContext: {procMount: Unmasked}", "config securityContext.procMount")]
    [InlineData("securityContext:", "config securityContext is empty")]
    [InlineData("securityContext: .inf", "config is not valid YAML: line 1, column 18")]
    [InlineData("sidecars:", "config sidecars is empty")]
    [InlineData("sidecars:\n  appup:", "config sidecars.appup is empty")]
    [InlineData("sidecars:\n  appup:\n    resources:", "config sidecars.appup.resources is empty")]
    [InlineData("sidecars:\n  appup:\n    image: ghcr.io/sidecars-dev/appup:", "config is not valid YAML: line 3, column ")]
    [InlineData("sidecars:\n  appup:\n    image: \"ghcr.io/sidecars-dev/appup:\"", "config sidecars.appup.image 'ghcr.io/sidecars-dev/appup:' is not a valid image reference")]
    [InlineData("sidecars:\n  appup:\n    image: ghcr.io/sidecars-dev/ap", "config sidecars.appup.image 'ghcr.io/sidecars-dev/ap' has no tag or digest")]
    [InlineData("sidecars:\n  appup:\n    image: ghcr.io/", "is not a valid image reference")]
    [InlineData("sidecars:\n  appup:\n    image: ghcr.io/Sidecars/appup:1", "is not a valid image reference")]
    [InlineData("sidecars:\n  appup:\n    image: \" nginx:1\"", "is not a valid image reference")]
    [InlineData("sidecars:\n  appup:\n    image: nginx@sha256:abc", "is not a valid image reference")]
    [InlineData("sidecars:\n  appup:\n    image: 1.5", "config sidecars.appup.image must be a string")]
    [InlineData("sidecars:\n  appup:\n    resources: {requests: {cpu: 5x}}", "config sidecars.appup.resources.requests.cpu '5x' is not a valid quantity")]
    [InlineData("sidecars:\n  appup:\n    resources: {requests: {cpu: 1e999}}", "config sidecars.appup.resources.requests.cpu '1e999' is not a valid quantity")]
    [InlineData("sidecars:\n  appup:\n    resources: {limits: {memory: -1Mi}}", "config sidecars.appup.resources.limits.memory must not be negative")]
    [InlineData("sidecars:\n  appup:\n    resources: {requests: {memory: 64Mi}, limits: {memory: 32Mi}}", "config sidecars.appup.resources.requests.memory (64Mi) must be less than or equal to the limit (32Mi)")]
    [InlineData("sidecars:\n  appup:\n    resources: {requests: {gpu: 1}}", "config sidecars.appup.resources.requests has unknown resource 'gpu'")]
    [InlineData("sidecars:\n  appup:\n    resources: {claims: [{name: x}]}", "config sidecars.appup.resources has unknown key 'claims'")]
    [InlineData("sidecars:\n  appup:\n    resources: {requests: {cpu: [1]}}", "config sidecars.appup.resources.requests.cpu must be a quantity")]
    public void Values_the_api_server_would_reject_are_refused(string yaml, string expected)
    {
        var ex = Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(yaml));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_order_changes_neither_the_revision_nor_what_is_injected()
    {
        // A ConfigMap edited by hand or re-rendered with its keys in another order must not mark every pod outdated.
        var one = InjectorConfig.Parse("""
            securityContext: {runAsNonRoot: true, runAsUser: 1000, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}, seccompProfile: {type: RuntimeDefault}}
            sidecars:
              appup:
                resources: {requests: {cpu: 5m, memory: 8Mi}, limits: {memory: 32Mi, cpu: 100m}}
            """);
        var other = InjectorConfig.Parse("""
            sidecars:
              appup:
                resources: {limits: {cpu: 100m, memory: 32Mi}, requests: {memory: 8Mi, cpu: 5m}}
            securityContext: {seccompProfile: {type: RuntimeDefault}, capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}, runAsUser: 1000, runAsNonRoot: true}
            """);

        Assert.Equal(one.Revision, other.Revision);
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","annotations":{"sidecars.dev/inject":"appup"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}""")!.AsObject();
        var engine = new InjectionEngine();
        Assert.Equal(engine.Inject(pod.DeepClone().AsObject(), one).Pod!.ToJsonString(), engine.Inject(pod.DeepClone().AsObject(), other).Pod!.ToJsonString());
    }

    [Fact]
    public void Numbers_are_kept_as_the_api_server_reads_them()
    {
        var config = InjectorConfig.Parse("securityContext: {runAsUser: 65532.0, runAsGroup: 0x10, runAsNonRoot: yes}\nsidecars:\n  proa:\n    resources: {requests: {cpu: 0.5, memory: 1e6}}");

        Assert.Equal("""{"runAsNonRoot":true,"runAsUser":65532,"runAsGroup":16}""", config.SecurityContext.ToJsonString());
        Assert.Equal("""{"requests":{"cpu":0.5,"memory":1000000}}""", config.Sidecars["proa"].Resources!.ToJsonString());
    }

    [Theory]
    [InlineData("sidecars:\n  appup:\n    image: ghcr.io/sidecars-dev/appup@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sidecars:\n  appup:\n    image: localhost:5000/appup:v1.2.3-rc.1")]
    [InlineData("sidecars:\n  appup:\n    image: appup:latest")]
    [InlineData("sidecars:\n  appup:\n    image: \"[::1]:5000/team/app_up:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")]
    [InlineData("sidecars:\n  appup:\n    resources: {requests: {cpu: 100m, memory: 1Gi, ephemeral-storage: 1G}, limits: {cpu: \"1\", memory: 1.5Gi}}")]
    [InlineData("securityContext: {capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}, seccompProfile: {type: Localhost, localhostProfile: profiles/a.json}, seLinuxOptions: {level: \"s0:c123,c456\"}, appArmorProfile: {type: RuntimeDefault}}")]
    [InlineData("securityContext: {}")]
    public void Valid_values_are_accepted(string yaml)
    {
        var config = InjectorConfig.Parse(yaml);

        Assert.NotNull(config.Revision);
    }

    [Fact]
    public void Nesting_deeper_than_the_json_writer_allows_is_refused()
    {
        var yaml = "securityContext:\n  x: " + new string('[', 1100) + new string(']', 1100) + "\n";

        var ex = Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(yaml));

        Assert.Contains("config is not valid YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_refused_early_with_little_memory()
    {
        var yaml = "securityContext:\n" + string.Join("\n", TestInputs.AliasBomb(levels: 6).Split('\n').Select(l => "  " + l));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(yaml));

        Assert.Contains("alias", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 32 * 1024 * 1024, "allocated more than 32 MB before refusing");
    }

    [Fact]
    public void A_config_larger_than_a_configmap_can_hold_is_refused()
    {
        var yaml = "# " + new string('x', 1024 * 1024) + "\ndefaultMode: native\n";

        var ex = Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(yaml));

        Assert.Contains("larger than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_prefix_of_a_config_file_loads_or_is_refused_cleanly()
    {
        // What a reader sees during an in-place write: any prefix must give a config or an InjectorConfigException.
        var text = InjectorConfig.DefaultYaml;
        for (int length = 0; length <= text.Length; length++)
        {
            try
            {
                InjectorConfig.Parse(text[..length]);
            }
            catch (InjectorConfigException)
            {
            }
        }
    }

    [Theory]
    [InlineData("[")]
    [InlineData("- a")]
    [InlineData("a: &a [*a]")]
    [InlineData("defaultMode: !!binary '%%%'")]
    [InlineData("defaultMode: \"\\uD800\"")]
    [InlineData("\u0000")]
    [InlineData("sidecars: {appup: {image: {a: 1}}}")]
    [InlineData("sidecars: [appup]")]
    [InlineData("securityContext: {capabilities: {add: [1, null]}}")]
    [InlineData("--- {a: 1}")]
    [InlineData("a: 1\n---\nb: 2")]
    [InlineData("{\"defaultMode\": \"native\"")]
    public void Hostile_config_text_gives_a_config_exception_and_nothing_else(string yaml)
    {
        Assert.Throws<InjectorConfigException>(() => InjectorConfig.Parse(yaml));
    }
    [Fact]
    public void The_config_the_chart_renders_passes_the_validation()
    {
        var manifest = Path.Combine(TestInputs.RepositoryRoot(), "manifests", "injector.yaml");
        var configMap = YamlJson.ParseAll(File.ReadAllText(manifest))
            .OfType<System.Text.Json.Nodes.JsonObject>()
            .Single(d => d["kind"]!.GetValue<string>() == "ConfigMap" && d["data"]?["config.yaml"] is not null);

        var config = InjectorConfig.Parse(configMap["data"]!["config.yaml"]!.GetValue<string>());

        Assert.StartsWith("ghcr.io/sidecars-dev/appup:", config.Sidecars["appup"].Image, StringComparison.Ordinal);
    }
}
