using Injector.Cli;

namespace Injector.Tests.Cli;

public sealed class CommandLineTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void Defaults_match_the_documented_ones()
    {
        var options = CommandLine.ParseServe([], Env());

        Assert.Equal(8443, options.Port);
        Assert.Equal(8080, options.HealthPort);
        Assert.Null(options.TlsCertFile);
        Assert.Null(options.ConfigFile);
        Assert.Null(options.SidecarClusterRoles);
    }

    [Fact]
    public void Environment_is_read_and_flags_win()
    {
        var options = CommandLine.ParseServe(["--port=9443", "--config", "/etc/injector/config.yaml"], Env(("INJECTOR_PORT", "7443"), ("INJECTOR_HEALTH_PORT", "9090"), ("INJECTOR_CONFIG", "/other.yaml")));

        Assert.Equal(9443, options.Port);
        Assert.Equal(9090, options.HealthPort);
        Assert.Equal("/etc/injector/config.yaml", options.ConfigFile);
    }

    [Theory]
    [InlineData("--port", "70000", "is not a port")]
    [InlineData("--log-format", "xml", "use json or text")]
    [InlineData("--log-level", "loud", "use debug, info, warn, error or none")]
    [InlineData("--max-request-bytes", "10", "at least 1024")]
    [InlineData("--sidecar-clusterroles", "shawarma", "is not sidecar=clusterrole")]
    public void Bad_values_name_the_flag(string flag, string value, string expected)
    {
        var ex = Assert.Throws<UsageException>(() => CommandLine.ParseServe([flag, value], Env()));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
