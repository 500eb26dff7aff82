using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Charts.Tests;

/// <summary>Both TLS modes: the cert-manager chain and the Helm-generated CA.</summary>
public sealed class TlsTests
{
    private static readonly string[] DnsNames =
    [
        "injector", "injector.sidecars-system", "injector.sidecars-system.svc", "injector.sidecars-system.svc.cluster.local",
    ];

    [Fact]
    public void Cert_manager_chain_self_signed_to_ca_to_serving_certificate()
    {
        var r = HelmChart.Render();
        var selfSigned = r.Named<Issuer>("injector-selfsigned");
        Assert.NotNull(selfSigned.Spec.SelfSigned);

        var ca = r.Named<Certificate>("injector-ca");
        Assert.True(ca.Spec.IsCA);
        Assert.Equal("injector-selfsigned", ca.Spec.IssuerRef.Name);
        Assert.Equal("Issuer", ca.Spec.IssuerRef.Kind);

        var caIssuer = r.Named<Issuer>("injector-ca");
        Assert.Equal(ca.Spec.SecretName, caIssuer.Spec.Ca?.SecretName);

        var serving = r.Named<Certificate>("injector-serving");
        Assert.NotEqual(true, serving.Spec.IsCA);
        Assert.Equal("injector-ca", serving.Spec.IssuerRef.Name);
        Assert.Equal(DnsNames, serving.Spec.DnsNames);
        Assert.Contains("server auth", serving.Spec.Usages!);
        Assert.Equal("Always", serving.Spec.PrivateKey?.RotationPolicy);

        // The injector mounts the Secret the serving Certificate writes.
        var deploy = r.One<V1Deployment>();
        var tls = Assert.Single(deploy.Spec.Template.Spec.Volumes, v => v.Name == "tls");
        Assert.Equal(serving.Spec.SecretName, tls.Secret.SecretName);
    }

    [Fact]
    public void Cert_manager_with_an_existing_issuer_creates_no_ca()
    {
        var r = HelmChart.Render("tls.certManager.issuerRef.name=corp-ca", "tls.certManager.issuerRef.kind=ClusterIssuer");
        Assert.Empty(r.All<Issuer>());
        var cert = Assert.Single(r.All<Certificate>());
        Assert.Equal("corp-ca", cert.Spec.IssuerRef.Name);
        Assert.Equal("ClusterIssuer", cert.Spec.IssuerRef.Kind);
        Assert.Equal("cert-manager.io", cert.Spec.IssuerRef.Group);
    }

    [Fact]
    public void Helm_mode_secret_holds_a_serving_cert_signed_by_the_ca_bundle()
    {
        var r = HelmChart.Render("tls.mode=helm");
        var secret = r.Named<V1Secret>("injector-tls");
        Assert.Equal("kubernetes.io/tls", secret.Type);
        var caPem = Encoding.ASCII.GetString(secret.Data["ca.crt"]);
        var certPem = Encoding.ASCII.GetString(secret.Data["tls.crt"]);
        Assert.Contains("PRIVATE KEY", Encoding.ASCII.GetString(secret.Data["tls.key"]));

        var bundle = Assert.Single(r.One<V1MutatingWebhookConfiguration>().Webhooks).ClientConfig.CaBundle;
        Assert.Equal(caPem, Encoding.ASCII.GetString(bundle));

        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var leaf = X509Certificate2.CreateFromPem(certPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(DnsNames, san.EnumerateDnsNames());
        Assert.True(leaf.MatchesHostname("injector.sidecars-system.svc"));
        Assert.True(leaf.NotAfter > DateTime.UtcNow.AddYears(5));
    }
}
