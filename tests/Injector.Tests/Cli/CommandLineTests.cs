using Injector.Cli;
using Microsoft.Extensions.Logging;

namespace Injector.Tests.Cli;

/// <summary>The command tree in-process: defaults, environment, precedence, and one-line usage errors with exit code 2.</summary>
public sealed class CommandLineTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    private static (CliRequest Request, string Out, string Error) Run(string[] args, Func<string, string?>? env = null, bool terminal = false)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var request = CommandLine.Parse(args, env ?? Env(), terminal, stdout, stderr);
        return (request, stdout.ToString(), stderr.ToString());
    }

    private static ServeOptions Serve(string[] args, Func<string, string?>? env = null, bool terminal = false)
    {
        var (request, _, error) = Run(args, env, terminal);
        return Assert.IsType<CliRequest.Serve>(request, exactMatch: true).Options is var options && error.Length == 0 ? options : throw new InvalidOperationException(error);
    }

    private static string UsageError(string[] args, Func<string, string?>? env = null)
    {
        var (request, stdout, stderr) = Run(args, env);
        Assert.Equal(ExitCodes.Usage, Assert.IsType<CliRequest.Exit>(request).Code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        return stderr;
    }

    [Fact]
    public void Defaults_match_the_documented_ones_and_serve_is_the_default_verb()
    {
        var options = Serve([]);

        Assert.Equal(options, Serve(["serve"]));
        Assert.Equal(8443, options.Port);
        Assert.Equal(8080, options.HealthPort);
        Assert.Equal("*", options.ListenAddress);
        Assert.Null(options.TlsCertFile);
        Assert.Null(options.ConfigFile);
        Assert.Null(options.SidecarClusterRoles);
        Assert.Null(options.Kubeconfig);
        Assert.Null(options.KubeContext);
        Assert.Equal(3 * 1024 * 1024, options.MaxRequestBytes);
        Assert.Equal(LogLevel.Information, options.LogLevel);
        Assert.Equal(new ServeOptions(), options with { JsonLogs = true });
    }

    [Fact]
    public void Logs_are_json_when_stdout_is_not_a_terminal_and_text_on_a_terminal_unless_told()
    {
        Assert.True(Serve([], terminal: false).JsonLogs);
        Assert.False(Serve([], terminal: true).JsonLogs);
        Assert.True(Serve(["--log-format", "json"], terminal: true).JsonLogs);
        Assert.False(Serve(["--log-format", "text"], terminal: false).JsonLogs);
        Assert.False(Serve([], Env(("INJECTOR_LOG_FORMAT", "text")), terminal: false).JsonLogs);
    }

    [Fact]
    public void Environment_is_read_and_flags_win()
    {
        var options = Serve(["--port=9443", "--config", "/etc/injector/config.yaml"], Env(("INJECTOR_PORT", "7443"), ("INJECTOR_HEALTH_PORT", "9090"), ("INJECTOR_CONFIG", "/other.yaml")));

        Assert.Equal(9443, options.Port);
        Assert.Equal(9090, options.HealthPort);
        Assert.Equal("/etc/injector/config.yaml", options.ConfigFile);
    }

    [Fact]
    public void Every_serve_option_has_its_environment_variable()
    {
        var options = Serve([], Env(
            ("INJECTOR_PORT", "1"), ("INJECTOR_HEALTH_PORT", "2"), ("INJECTOR_LISTEN_ADDRESS", "127.0.0.1"),
            ("INJECTOR_TLS_CERT_FILE", "/c"), ("INJECTOR_TLS_KEY_FILE", "/k"), ("INJECTOR_SELF_SIGNED_DIR", "/s"),
            ("INJECTOR_CONFIG", "/cfg"), ("INJECTOR_SIDECAR_CLUSTERROLES", "shawarma=r"), ("INJECTOR_KUBECONFIG", "/kc"),
            ("INJECTOR_CONTEXT", "ctx"), ("INJECTOR_MAX_REQUEST_BYTES", "2048"), ("INJECTOR_LOG_FORMAT", "text"), ("INJECTOR_LOG_LEVEL", "warn")));

        Assert.Equal(new ServeOptions
        {
            Port = 1, HealthPort = 2, ListenAddress = "127.0.0.1", TlsCertFile = "/c", TlsKeyFile = "/k", SelfSignedDir = "/s",
            ConfigFile = "/cfg", SidecarClusterRoles = "shawarma=r", Kubeconfig = "/kc", KubeContext = "ctx", MaxRequestBytes = 2048,
            JsonLogs = false, LogLevel = LogLevel.Warning,
        }, options);
    }

    [Fact]
    public void Kubeconfig_comes_from_the_flag_then_INJECTOR_KUBECONFIG_and_KUBECONFIG_is_left_to_the_API_client()
    {
        Assert.Null(Serve([], Env(("KUBECONFIG", "/a:/b"))).Kubeconfig); // a list, merged by the client as kubectl does
        Assert.Equal("/injector", Serve([], Env(("KUBECONFIG", "/kube"), ("INJECTOR_KUBECONFIG", "/injector"))).Kubeconfig);
        Assert.Equal("/flag", Serve(["--kubeconfig", "/flag"], Env(("INJECTOR_KUBECONFIG", "/injector"))).Kubeconfig);
    }

    [Fact]
    public void An_empty_environment_variable_means_unset()
    {
        // The chart sets INJECTOR_SIDECAR_CLUSTERROLES="" to turn the RoleBinding loop off.
        Assert.Null(Serve([], Env(("INJECTOR_SIDECAR_CLUSTERROLES", ""))).SidecarClusterRoles);
        Assert.Equal(8443, Serve([], Env(("INJECTOR_PORT", ""))).Port);
    }

    [Theory]
    [InlineData("--port", "70000", "--port: '70000' is not a port (0-65535)")]
    [InlineData("--port", "http", "--port: 'http' is not a whole number")]
    [InlineData("--listen-address", "localhost", "--listen-address: 'localhost' is not an IP address")]
    [InlineData("--log-format", "xml", "--log-format: 'xml' is not valid; use json or text")]
    [InlineData("--log-level", "loud", "--log-level: 'loud' is not valid; use debug, info, warn, error or none")]
    [InlineData("--max-request-bytes", "10", "--max-request-bytes: '10' is out of range: must be at least 1024")]
    [InlineData("--sidecar-clusterroles", "shawarma", "--sidecar-clusterroles: 'shawarma' is not sidecar=clusterrole")]
    [InlineData("--config", "", "--config: needs a path")]
    public void Bad_values_name_the_flag(string flag, string value, string expected)
    {
        Assert.Contains(expected, UsageError([flag, value]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INJECTOR_PORT", "x", "INJECTOR_PORT: 'x' is not a whole number")]
    [InlineData("INJECTOR_LOG_LEVEL", "loud", "INJECTOR_LOG_LEVEL: 'loud' is not valid")]
    [InlineData("INJECTOR_SIDECAR_CLUSTERROLES", "proa=", "INJECTOR_SIDECAR_CLUSTERROLES: 'proa=' is not sidecar=clusterrole")]
    public void Bad_environment_values_name_the_variable(string variable, string value, string expected)
    {
        Assert.Contains(expected, UsageError([], Env((variable, value))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--tls-cert-file", "/x" }, "--tls-cert-file and --tls-key-file go together")]
    [InlineData(new[] { "--verbose" }, "'--verbose'")]
    [InlineData(new[] { "serve", "extra" }, "'extra'")]
    [InlineData(new[] { "inject" }, "'--filename' is required")]
    [InlineData(new[] { "inject", "-f", "a", "--port", "1" }, "'--port'")]
    [InlineData(new[] { "--port" }, "--port")]
    public void Usage_errors_are_one_line_and_exit_2(string[] args, string expected)
    {
        var error = UsageError(args);

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_reads_the_file_and_config_with_the_environment_as_fallback()
    {
        var (request, _, _) = Run(["inject", "-f", "-"], Env(("INJECTOR_CONFIG", "/etc/c.yaml")));
        Assert.Equal(new InjectOptions("-", "/etc/c.yaml"), Assert.IsType<CliRequest.Inject>(request).Options);

        (request, _, _) = Run(["inject", "--filename", "d.yaml", "--config", "/x.yaml"], Env(("INJECTOR_CONFIG", "/etc/c.yaml")));
        Assert.Equal(new InjectOptions("d.yaml", "/x.yaml"), Assert.IsType<CliRequest.Inject>(request).Options);
    }

    [Theory]
    [InlineData(new string[] { "--help" }, new[] { "serve", "inject", "--port", "[env: INJECTOR_PORT]", "[default: 8443]", "Exit codes:" })]
    [InlineData(new[] { "serve", "-h" }, new[] { "--kubeconfig", "[env: INJECTOR_KUBECONFIG] [default: KUBECONFIG, else in-cluster", "--context", "--log-format" })]
    [InlineData(new[] { "inject", "--help" }, new[] { "-f, --filename", "--config", "[env: INJECTOR_CONFIG]" })]
    public void Help_is_printed_on_stdout_for_every_verb(string[] args, string[] expected)
    {
        var (request, stdout, stderr) = Run(args);

        Assert.Equal(ExitCodes.Ok, Assert.IsType<CliRequest.Exit>(request).Code);
        Assert.Empty(stderr);
        foreach (var text in expected)
        {
            Assert.Contains(text, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_does_not_fail_on_a_bad_environment_value()
    {
        var (request, stdout, _) = Run(["--help"], Env(("INJECTOR_PORT", "x")));

        Assert.IsType<CliRequest.Exit>(request);
        Assert.Contains("--port", stdout, StringComparison.Ordinal);
    }
}
