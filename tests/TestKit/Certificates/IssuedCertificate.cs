using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TestKit.Certificates;

/// <summary>A certificate with its private key, issued by a <see cref="TestCertificateAuthority"/>, exportable as PEM files.</summary>
public sealed class IssuedCertificate : IDisposable
{
    internal IssuedCertificate(X509Certificate2 certificate, AsymmetricAlgorithm key, X509Certificate2 issuer)
    {
        Certificate = certificate;
        Key = key;
        Issuer = issuer;
    }

    /// <summary>The certificate, with its private key attached (usable by Kestrel or as a client certificate).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The private key (RSA or ECDsa).</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>The issuing CA's certificate.</summary>
    public X509Certificate2 Issuer { get; }

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>The leaf followed by the CA: what cert-manager writes to tls.crt.</summary>
    public string ChainPem => CertificatePem + Issuer.ExportCertificatePem() + "\n";

    /// <summary>PKCS#8 PEM of the private key.</summary>
    public string PrivateKeyPem => Key switch
    {
        RSA rsa => rsa.ExportPkcs8PrivateKeyPem() + "\n",
        ECDsa ec => ec.ExportPkcs8PrivateKeyPem() + "\n",
        _ => throw new NotSupportedException(Key.GetType().Name),
    };

    /// <summary>Writes the certificate (or chain) and key PEM files; returns their paths.</summary>
    public (string CertFile, string KeyFile) WriteFiles(string certFile, string keyFile, bool withChain = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(certFile))!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        File.WriteAllText(certFile, withChain ? ChainPem : CertificatePem);
        File.WriteAllText(keyFile, PrivateKeyPem);
        return (certFile, keyFile);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
