using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Injector.Core.Tests.Support;
using Injector.Core.Yaml;
using Injector.Tests.Support;

namespace Injector.Tests.Cli;

/// <summary>The README's commands, run as real processes.</summary>
public sealed partial class ProgramTests
{
    [Fact]
    public async Task Serve_with_embedded_defaults_prints_the_CA_serves_reviews_and_stops_on_SIGTERM()
    {
        var dir = Directory.CreateTempSubdirectory("injector-run-").FullName;
        try
        {
            using var injector = InjectorProgram.Start(["--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text", "--self-signed-dir", dir]);
            var caLine = await injector.WaitForLineAsync(l => l.Contains("Trust this CA", StringComparison.Ordinal), "the CA path");
            var listening = await injector.WaitForLineAsync(l => l.Contains("Webhook listening on", StringComparison.Ordinal), "the listening line");
            var caFile = caLine[(caLine.IndexOf(": /", StringComparison.Ordinal) + 2)..].Trim();
            Assert.Equal(Path.Combine(dir, "ca.crt"), caFile);
            var port = int.Parse(ListeningPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            using var client = TrustOnlyCaHandler.Create(caFile);
            var review = GoldenScenario.Load("appup-plain-pod").Review.ToJsonString();
            using var response = await client.PostAsync(new Uri($"https://localhost:{port}/mutate"), new StringContent(review, Encoding.UTF8, "application/json"));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(body["response"]!["allowed"]!.GetValue<bool>());
            Assert.NotNull(body["response"]!["patch"]);
            await injector.WaitForLineAsync(l => l.Contains("Injected appup into pod default/demo", StringComparison.Ordinal), "the injection log line");

            injector.Signal(System.Runtime.InteropServices.PosixSignal.SIGTERM);
            Assert.Equal(0, await injector.WaitForExitAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Inject_prints_the_deployment_with_sidecar_volume_and_probe()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("injector-manifest-").FullName, "deployment.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                  annotations:
                    sidecars.dev/inject: appup
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
            """);

        using var injector = InjectorProgram.Start(["inject", "-f", file]);
        Assert.Equal(0, await injector.WaitForExitAsync());

        var yaml = injector.StdOut;
        var deployment = YamlJson.ParseOne(yaml)!.AsObject();
        var spec = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal("appup", spec["initContainers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("Always", spec["initContainers"]![0]!["restartPolicy"]!.GetValue<string>());
        Assert.Equal("sidecars-appup", spec["volumes"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("/health", spec["containers"]![0]!["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<long>());
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public async Task Inject_from_stdin_reports_a_denied_workload_and_exits_1()
    {
        using var injector = InjectorProgram.Start(["inject", "-f", "-"], stdin: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {sidecars.dev/inject: envoy}\nspec:\n  containers: [{name: a, image: x}]\n");

        Assert.Equal(1, await injector.WaitForExitAsync());
        Assert.Contains("stderr: error: document 1 (Pod/p, line 1): annotation sidecars.dev/inject: unknown sidecar 'envoy'", injector.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--port", "http" }, "--port: 'http' is not a whole number")]
    [InlineData(new[] { "--tls-cert-file", "/x" }, "--tls-cert-file and --tls-key-file go together")]
    [InlineData(new[] { "--verbose" }, "Unrecognized command or argument '--verbose'")]
    [InlineData(new[] { "inject" }, "Option '--filename' is required")]
    public async Task Bad_command_lines_exit_2_with_the_reason(string[] args, string expected)
    {
        using var injector = InjectorProgram.Start(args);

        Assert.Equal(2, await injector.WaitForExitAsync());
        Assert.Contains(expected, injector.Output, StringComparison.Ordinal);
        Assert.Single(injector.Lines); // one line, no stack trace
    }

    [Theory]
    [InlineData(new[] { "--help" }, "serve")]
    [InlineData(new[] { "serve", "--help" }, "--tls-cert-file")]
    [InlineData(new[] { "inject", "--help" }, "-f")]
    [InlineData(new[] { "inject", "-h" }, "-f")]
    public async Task Help_is_served_on_every_verb_and_exits_0(string[] args, string expected)
    {
        using var injector = InjectorProgram.Start(args);

        Assert.Equal(0, await injector.WaitForExitAsync());
        Assert.Contains(expected, injector.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("stderr:", injector.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_injector_version()
    {
        using var injector = InjectorProgram.Start(["--version"]);

        Assert.Equal(0, await injector.WaitForExitAsync());
        Assert.Matches(@"^0\.1\.0(\+[0-9a-f]+)?$", Assert.Single(injector.Lines).Text);
    }

    [GeneratedRegex(@"https://[^:]+:(\d+)/mutate")]
    private static partial Regex ListeningPort();
}
