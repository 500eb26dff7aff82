using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Charts.Tests;

/// <summary>
/// The API server's side of an install, driven by the chart: the webhook's service path, port, timeout and failure
/// policy come from the rendered MutatingWebhookConfiguration; the TLS files come from a cert-manager-shaped Secret
/// (tls.crt, tls.key, ca.crt) for the rendered Certificate's DNS names, mounted where the rendered Deployment says;
/// the config is the rendered ConfigMap. The real injector serves it, and a client that trusts only ca.crt (what
/// cainjector puts in caBundle) and checks the service DNS name calls it the way kube-apiserver would.
/// </summary>
public sealed partial class ChartDrivenAdmissionTests
{
    [Fact]
    public async Task Api_server_calls_the_webhook_as_the_chart_registers_it()
    {
        var rendered = HelmChart.Render();
        var configuration = rendered.One<V1MutatingWebhookConfiguration>();
        var webhook = configuration.Webhooks.Single();
        var service = webhook.ClientConfig.Service;
        // The serving Certificate is the one whose CA cainjector copies into caBundle.
        var injectFrom = configuration.Metadata.Annotations["cert-manager.io/inject-ca-from"].Split('/');
        var certificate = rendered.All<Certificate>().Single(c => c.Metadata.NamespaceProperty == injectFrom[0] && c.Metadata.Name == injectFrom[1]);
        var deployment = rendered.One<V1Deployment>();
        var container = deployment.Spec.Template.Spec.Containers.Single(c => c.Name == "injector");
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        var config = rendered.All<V1ConfigMap>().Single().Data["config.yaml"];
        Assert.Equal("Fail", webhook.FailurePolicy);

        using var root = new TempDirectory("chart-admission-");
        // Mount points as the Deployment declares them, re-rooted under a temp directory.
        var certFile = Reroot(root.Path, env["INJECTOR_TLS_CERT_FILE"]);
        var keyFile = Reroot(root.Path, env["INJECTOR_TLS_KEY_FILE"]);
        var configFile = Reroot(root.Path, env["INJECTOR_CONFIG"]);
        var caFile = Path.Combine(Path.GetDirectoryName(certFile)!, "ca.crt");
        WriteCertManagerSecret(certificate.Spec.DnsNames!, certFile, keyFile, caFile);
        Directory.CreateDirectory(Path.GetDirectoryName(configFile)!);
        await File.WriteAllTextAsync(configFile, config);

        using var injector = TestProcess.Start(ProcessSpec.DotnetFromTestOutput("injector.dll",
            "serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text") with
        {
            DisplayName = "injector",
            Environment = new Dictionary<string, string?>
            {
                ["INJECTOR_TLS_CERT_FILE"] = certFile,
                ["INJECTOR_TLS_KEY_FILE"] = keyFile,
                ["INJECTOR_CONFIG"] = configFile,
            },
        });
        var listening = await injector.WaitForLineAsync(l => ListeningPort().IsMatch(l), "the webhook's listening line");
        var port = int.Parse(ListeningPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await CallAsApiServerAsync(port, webhook, service, certificate, caFile, config);
    }

    private static async Task CallAsApiServerAsync(int port, V1MutatingWebhook webhook, Admissionregistrationv1ServiceReference service, Certificate certificate, string caFile, string config)
    {
        var host = $"{service.Name}.{service.NamespaceProperty}.svc";
        Assert.Contains(host, certificate.Spec.DnsNames!);
        // Resolves the service DNS name to the local injector, checks the name and trusts only the CA bundle.
        using var client = TrustOnlyCaHandler.Create(caFile, loopbackPort: port, timeout: TimeSpan.FromSeconds(webhook.TimeoutSeconds!.Value));
        var review = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Golden", "review.json"));
        var uri = new Uri($"https://{host}:{service.Port}{service.Path}");

        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(uri, new StringContent(review, Encoding.UTF8, "application/json"));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(webhook.TimeoutSeconds.Value), $"answered in {elapsed}, over the webhook timeout");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
        Assert.True(body["allowed"]!.GetValue<bool>(), body.ToJsonString());
        Assert.Equal("JSONPatch", body["patchType"]!.GetValue<string>());
        var patch = Encoding.UTF8.GetString(Convert.FromBase64String(body["patch"]!.GetValue<string>()));
        // The rendered config's images are what gets injected.
        Assert.Contains(YamlImage(config, "appup"), patch, StringComparison.Ordinal);
    }

    private static string Reroot(string root, string? path) =>
        Path.Combine(root, (path ?? throw new InvalidOperationException("the Deployment does not set this path")).TrimStart('/'));

    /// <summary>What cert-manager's CA issuer writes into the Secret: the leaf (RSA 2048, its default) with the CA, its key, and the CA.</summary>
    private static void WriteCertManagerSecret(IList<string> dnsNames, string certFile, string keyFile, string caFile)
    {
        using var ca = TestCertificateAuthority.Create("injector-ca");
        using var leaf = ca.IssueServer(dnsNames.Reverse(), KeyKind.Rsa2048);
        leaf.WriteFiles(certFile, keyFile, withChain: true);
        ca.WriteCertificateFile(caFile);
    }

    private static string YamlImage(string config, string sidecar)
    {
        var match = Regex.Match(config, sidecar + @":\s*\n\s*image:\s*(\S+)");
        Assert.True(match.Success, $"no image for {sidecar} in the rendered config:\n{config}");
        return match.Groups[1].Value.Trim('"');
    }

    [GeneratedRegex(@"Webhook listening on https://[^:]+:(\d+)/mutate")]
    private static partial Regex ListeningPort();
}
