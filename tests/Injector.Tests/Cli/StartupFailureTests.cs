using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Injector.Tests.Support;

namespace Injector.Tests.Cli;

/// <summary>
/// serve refuses to start on anything it cannot use, with exit code 3 and one line on stderr that names the file or
/// setting (no stack trace); the RoleBinding loop's kubeconfig is found the way kubectl users expect.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("injector-startup-").FullName;

    private string[] Serve(params string[] more) =>
        ["--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--self-signed-dir", Path.Combine(_dir, "tls"), .. more];

    /// <summary>No cluster and no kubeconfig, whatever the machine running the tests has.</summary>
    private Dictionary<string, string?> OutsideACluster(params (string Name, string? Value)[] more)
    {
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = _dir,
            ["KUBECONFIG"] = null,
            ["INJECTOR_KUBECONFIG"] = null,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["KUBERNETES_SERVICE_PORT"] = null,
        };
        foreach (var (name, value) in more)
        {
            env[name] = value;
        }

        return env;
    }

    private static async Task<string> FailsToStartAsync(TestProcess injector)
    {
        Assert.Equal(3, await injector.WaitForExitAsync());
        var line = Assert.Single(injector.Lines, l => l.Stream == OutputStream.StdErr).Text;
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", injector.Output, StringComparison.Ordinal);
        return line;
    }

    [Theory]
    [InlineData("securityContext: {runAsUser: 1e999}\n", "cannot load config")]
    [InlineData("sidecars: [\n", "cannot load config")]
    [InlineData("", "the file is empty")]
    public async Task A_bad_config_at_start_up_exits_3_with_one_line(string content, string expected)
    {
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, content);

        using var injector = InjectorProgram.Start(Serve("--config", config));

        var line = await FailsToStartAsync(injector);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains(config, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_exits_3()
    {
        using var injector = InjectorProgram.Start(Serve("--config", Path.Combine(_dir, "missing.yaml")));

        Assert.Contains("missing.yaml", await FailsToStartAsync(injector), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired", "expired on")]
    [InlineData("not-yet-valid", "is not valid before")]
    [InlineData("garbage", "not a usable certificate and key pair")]
    [InlineData("key-of-another-certificate", "not a usable certificate and key pair: the private key is not the certificate's")]
    public async Task A_certificate_that_cannot_serve_at_start_up_exits_3(string kind, string expected)
    {
        var pair = kind switch
        {
            "expired" => TestCertificates.Expired(Path.Combine(_dir, kind)),
            "not-yet-valid" => TestCertificates.NotYetValid(Path.Combine(_dir, kind)),
            _ => TestCertificates.Valid(Path.Combine(_dir, kind)),
        };
        if (kind == "garbage")
        {
            await File.WriteAllTextAsync(pair.CertFile, "not PEM at all");
        }
        else if (kind == "key-of-another-certificate")
        {
            File.Copy(TestCertificates.Valid(Path.Combine(_dir, "other")).KeyFile, pair.KeyFile, overwrite: true);
        }

        using var injector = InjectorProgram.Start(Serve("--tls-cert-file", pair.CertFile, "--tls-key-file", pair.KeyFile));

        var line = await FailsToStartAsync(injector);
        Assert.Contains($"cannot load TLS certificate '{pair.CertFile}'", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_exits_3()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var injector = InjectorProgram.Start(["--port", "0", "--health-port", port, "--listen-address", "127.0.0.1", "--self-signed-dir", Path.Combine(_dir, "tls")]);

        Assert.Contains($"cannot listen on 127.0.0.1", await FailsToStartAsync(injector), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sidecar_clusterroles_outside_a_cluster_without_a_kubeconfig_says_what_to_do()
    {
        using var injector = InjectorProgram.Start(Serve("--sidecar-clusterroles", "shawarma=injector-shawarma"), env: OutsideACluster());

        var line = await FailsToStartAsync(injector);
        Assert.Contains("~/.kube/config", line, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KUBECONFIG")]
    [InlineData("INJECTOR_KUBECONFIG")]
    public async Task The_kubeconfig_environment_variables_are_honoured(string variable)
    {
        var missing = Path.Combine(_dir, "from-env.kubeconfig");
        using var injector = InjectorProgram.Start(Serve("--sidecar-clusterroles", "shawarma=injector-shawarma"), env: OutsideACluster((variable, missing)));

        var line = await FailsToStartAsync(injector);
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("--sidecar-clusterroles", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not: [valid", null, "kubeconfig")]
    [InlineData(Kubeconfig, "elsewhere", "no context named 'elsewhere'")]
    public async Task A_broken_kubeconfig_or_unknown_context_exits_3(string content, string? context, string expected)
    {
        var file = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(file, content);
        string[] args = context is null ? ["--kubeconfig", file] : ["--kubeconfig", file, "--context", context];

        using var injector = InjectorProgram.Start(Serve(["--sidecar-clusterroles", "shawarma=injector-shawarma", .. args]), env: OutsideACluster());

        Assert.Contains(expected, await FailsToStartAsync(injector), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usable_KUBECONFIG_list_and_context_start_the_webhook_even_when_the_API_is_unreachable()
    {
        var file = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(file, Kubeconfig);

        using var injector = InjectorProgram.Start(Serve("--sidecar-clusterroles", "shawarma=injector-shawarma", "--log-format", "text"),
            env: OutsideACluster(("KUBECONFIG", Path.Combine(_dir, "absent") + ":" + file), ("INJECTOR_CONTEXT", "stand-in")));

        await injector.WaitForLineAsync(l => l.Contains("Webhook listening on", StringComparison.Ordinal), "the webhook to listen");
        injector.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        Assert.Equal(0, await injector.WaitForExitAsync());
    }

    [Fact]
    public async Task Logs_are_json_lines_when_stdout_is_not_a_terminal()
    {
        using var injector = InjectorProgram.Start(Serve());

        var listening = await injector.WaitForLineAsync(l => l.Contains("Webhook listening on", StringComparison.Ordinal), "the listening line");
        injector.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        Assert.Equal(0, await injector.WaitForExitAsync());

        using var json = JsonDocument.Parse(listening);
        Assert.Equal(400, json.RootElement.GetProperty("EventId").GetInt32());
        Assert.All(injector.Lines.Where(l => l.Stream == OutputStream.StdOut), l => JsonDocument.Parse(l.Text).Dispose());
    }

    [Fact]
    public async Task Logs_are_human_readable_text_on_a_terminal()
    {
        // script(1) (util-linux, on every Debian) runs the injector with its stdout on a pseudo-terminal.
        var command = string.Join(' ', new[] { ProcessSpec.DotnetFromTestOutput("injector.dll").FileName, Path.Combine(AppContext.BaseDirectory, "injector.dll") }
            .Concat(Serve()).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        using var injector = TestProcess.Start(new ProcessSpec("script", ["-qfec", command, "/dev/null"]) { DisplayName = "injector on a pty" });

        var listening = await injector.WaitForLineAsync(l => l.Contains("Webhook listening on", StringComparison.Ordinal), "the listening line");

        Assert.DoesNotContain("\"EventId\"", listening, StringComparison.Ordinal);
        Assert.Contains("Injector[400]", listening, StringComparison.Ordinal); // the console formatter's category[event id]
    }

    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: nowhere
          cluster: {server: "https://127.0.0.1:1"}
        users:
        - name: someone
          user: {token: abc}
        contexts:
        - name: stand-in
          context: {cluster: nowhere, user: someone}
        current-context: stand-in
        """;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
