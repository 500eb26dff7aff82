using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TestKit.Certificates;

/// <summary>Which key a certificate gets.</summary>
public enum KeyKind
{
    /// <summary>ECDSA P-256: fast to generate, what most tests want.</summary>
    EcdsaP256,

    /// <summary>RSA 2048: cert-manager's default private key algorithm.</summary>
    Rsa2048,
}

/// <summary>
/// A throwaway certificate authority (ECDSA P-256, valid from a minute ago for a year) that issues server
/// certificates (DNS and IP SANs, serverAuth) and client certificates (CN = user, O = groups, clientAuth), the way
/// cert-manager's CA issuer and the Kubernetes client-certificate authenticator expect them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private TestCertificateAuthority(string name, TimeSpan lifetime)
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        Certificate = request.CreateSelfSigned(now, now + lifetime);
    }

    /// <summary>Creates a new CA named <paramref name="name"/>.</summary>
    public static TestCertificateAuthority Create(string name = "testkit-ca", TimeSpan? lifetime = null) =>
        new(name, lifetime ?? TimeSpan.FromDays(365));

    /// <summary>The CA certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>Writes the CA certificate as PEM (what a caBundle or kubeconfig certificate-authority holds).</summary>
    public string WriteCertificateFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, CertificatePem);
        return path;
    }

    /// <summary>
    /// A serving certificate for <paramref name="names"/>: each is added as an IP SAN when it parses as an address,
    /// else as a DNS SAN. The subject CN is the first name.
    /// </summary>
    public IssuedCertificate IssueServer(IEnumerable<string> names, KeyKind key = KeyKind.EcdsaP256, DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        var list = names.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a server certificate needs at least one name", nameof(names));
        }

        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in list)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        return Issue($"CN={list[0]}", key, [san.Build(), new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)], notBefore, notAfter);
    }

    /// <summary>A serving certificate for localhost, 127.0.0.1 and ::1.</summary>
    public IssuedCertificate IssueLocalhost(KeyKind key = KeyKind.EcdsaP256) => IssueServer(["localhost", "127.0.0.1", "::1"], key);

    /// <summary>A client certificate: CN is the user name, each group an O (the Kubernetes x509 authenticator's reading).</summary>
    public IssuedCertificate IssueClient(string user, IEnumerable<string>? groups = null, KeyKind key = KeyKind.EcdsaP256)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups ?? [])
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        return Issue(subject.Build().Name, key, [new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)], null, null);
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA (and only this CA).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private IssuedCertificate Issue(string subject, KeyKind kind, IEnumerable<X509Extension> extensions, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        AsymmetricAlgorithm key = kind == KeyKind.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            key is RSA ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        var to = notAfter ?? from.AddDays(90);
        if (to > Certificate.NotAfter)
        {
            to = Certificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), from, to, serial);
        var withKey = key switch
        {
            RSA r => signed.CopyWithPrivateKey(r),
            ECDsa e => signed.CopyWithPrivateKey(e),
            _ => throw new NotSupportedException(),
        };
        return new IssuedCertificate(withKey, key, Certificate);
    }
}
