using Injector.Core.Configuration;

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
}
