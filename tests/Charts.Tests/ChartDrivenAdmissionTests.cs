using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

        var root = Directory.CreateTempSubdirectory("chart-admission-").FullName;
        try
        {
            // Mount points as the Deployment declares them, re-rooted under a temp directory.
            var certFile = Reroot(root, env["INJECTOR_TLS_CERT_FILE"]);
            var keyFile = Reroot(root, env["INJECTOR_TLS_KEY_FILE"]);
            var configFile = Reroot(root, env["INJECTOR_CONFIG"]);
            var caFile = Path.Combine(Path.GetDirectoryName(certFile)!, "ca.crt");
            WriteCertManagerSecret(certificate.Spec.DnsNames!, certFile, keyFile, caFile);
            Directory.CreateDirectory(Path.GetDirectoryName(configFile)!);
            await File.WriteAllTextAsync(configFile, config);

            using var injector = StartInjector(certFile, keyFile, configFile);
            try
            {
                await CallAsApiServerAsync(injector, webhook, service, certificate, caFile, config);
            }
            finally
            {
                injector.Kill(entireProcessTree: true);
                await injector.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task CallAsApiServerAsync(Process injector, V1MutatingWebhook webhook, Admissionregistrationv1ServiceReference service, Certificate certificate, string caFile, string config)
    {
        var port = await WaitForPortAsync(injector);

        var host = $"{service.Name}.{service.NamespaceProperty}.svc";
        Assert.Contains(host, certificate.Spec.DnsNames!);
        // Resolves the service DNS name to the local injector, checks the name and trusts only the CA bundle.
        using var client = Injector.Tests.Support.TrustOnlyCaHandler.Create(caFile, loopbackPort: port, timeout: TimeSpan.FromSeconds(webhook.TimeoutSeconds!.Value));
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

    /// <summary>What cert-manager's CA issuer writes into the Secret: the leaf, its key, and the issuing CA.</summary>
    private static void WriteCertManagerSecret(IList<string> dnsNames, string certFile, string keyFile, string caFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(certFile)!);
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=injector-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(365));

        using var key = RSA.Create(2048); // cert-manager's default private key algorithm
        var request = new CertificateRequest($"CN={dnsNames[^1]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var leaf = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now, now.AddDays(90), serial);

        File.WriteAllText(certFile, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportRSAPrivateKeyPem());
        File.WriteAllText(caFile, ca.ExportCertificatePem());
    }

    private static Process StartInjector(string certFile, string keyFile, string configFile)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "injector.dll"));
        foreach (var arg in new[] { "serve", "--port", "0", "--health-port", "0", "--listen-address", "127.0.0.1", "--log-format", "text" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["INJECTOR_TLS_CERT_FILE"] = certFile;
        info.Environment["INJECTOR_TLS_KEY_FILE"] = keyFile;
        info.Environment["INJECTOR_CONFIG"] = configFile;
        return Process.Start(info)!;
    }

    private static async Task<int> WaitForPortAsync(Process injector)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = new StringBuilder();
        try
        {
            while (await injector.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                output.AppendLine(line);
                if (ListeningPort().Match(line) is { Success: true } match)
                {
                    _ = injector.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep draining
                    return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        finally
        {
            if (deadline.IsCancellationRequested || injector.HasExited)
            {
                injector.Kill();
            }
        }

        throw new InvalidOperationException("the injector did not start:\n" + output + await injector.StandardError.ReadToEndAsync());
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
