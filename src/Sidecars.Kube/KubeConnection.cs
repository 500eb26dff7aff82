using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Sidecars.Contract;

namespace Sidecars.Kube;

/// <summary>
/// Finds the API server and the credentials, in controller-runtime's order: an explicit kubeconfig, else the files
/// of <c>KUBECONFIG</c>, else the in-cluster service account, else <c>~/.kube/config</c>. Every failure is a
/// <see cref="KubeConfigException"/> whose message says what is wrong and what to do.
/// </summary>
internal static class KubeConnection
{
    public const string KubeconfigVariable = "KUBECONFIG";

    private static readonly TimeSpan TokenRefresh = TimeSpan.FromMinutes(1);

    public static KubeApiClient Create(string? kubeconfigPath, string? context, Func<string, string?> env, string serviceAccountDir = ServiceAccountContract.MountPath)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return FromContext(KubeConfigReader.Load([kubeconfigPath], context));
        }

        if (env(KubeconfigVariable) is { Length: > 0 } list)
        {
            var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToList();
            return files.Count > 0
                ? FromContext(KubeConfigReader.Load(files, context))
                : throw new KubeConfigException($"{KubeconfigVariable} is '{list}', but none of its files exists");
        }

        var host = env(ServiceAccountContract.HostVariable);
        var port = env(ServiceAccountContract.PortVariable);
        if (!string.IsNullOrEmpty(host) && !string.IsNullOrEmpty(port))
        {
            return InCluster(host, port, serviceAccountDir);
        }

        if (env("HOME") is { Length: > 0 } home && Path.Combine(home, ".kube", "config") is var homeConfig && File.Exists(homeConfig))
        {
            return FromContext(KubeConfigReader.Load([homeConfig], context));
        }

        throw new KubeConfigException(
            $"no Kubernetes configuration was found: not in a cluster ({ServiceAccountContract.HostVariable} is unset), no {KubeconfigVariable} and no ~/.kube/config, so pass --kubeconfig");
    }

    public static KubeApiClient FromContext(KubeConfigContext context)
    {
        X509Certificate2Collection? ca = null;
        if (context.CertificateAuthorityData is { } caData)
        {
            ca = LoadCertificates(caData, $"the certificate-authority-data of cluster '{context.ClusterName}'");
        }
        else if (context.CertificateAuthorityFile is { } caFile)
        {
            ca = LoadCertificates(KubeConfigReader.ReadBytes(caFile, "certificate-authority file"), $"the certificate-authority file '{caFile}'");
        }

        var certPem = context.ClientCertificateData ?? (context.ClientCertificateFile is { } cf ? KubeConfigReader.ReadBytes(cf, "client-certificate file") : null);
        var keyPem = context.ClientKeyData ?? (context.ClientKeyFile is { } kf ? KubeConfigReader.ReadBytes(kf, "client-key file") : null);
        X509Certificate2? clientCertificate = null;
        if (certPem is not null || keyPem is not null)
        {
            if (certPem is null || keyPem is null)
            {
                throw new KubeConfigException($"user '{context.UserName}' of the kubeconfig has a client certificate or key but not both; give client-certificate and client-key together");
            }

            clientCertificate = LoadClientCertificate(certPem, keyPem, context.UserName ?? "");
        }

        Func<string?> token = static () => null;
        if (!string.IsNullOrEmpty(context.Token))
        {
            var fixedToken = context.Token;
            token = () => fixedToken;
        }
        else if (context.TokenFile is { } tokenFile)
        {
            var source = new FileTokenSource(tokenFile, TokenRefresh);
            source.Current(); // fail now, with a clear message, when the file is missing
            token = source.Current;
        }

        var handler = CreateHandler(ca, context.InsecureSkipTlsVerify, clientCertificate);
        return new KubeApiClient(context.Server, handler, token) { DefaultNamespace = context.Namespace };
    }

    private static KubeApiClient InCluster(string host, string port, string serviceAccountDir)
    {
        if (host.Contains(':', StringComparison.Ordinal))
        {
            host = "[" + host + "]"; // IPv6 literal
        }

        if (!Uri.TryCreate($"https://{host}:{port}", UriKind.Absolute, out var server))
        {
            throw new KubeConfigException(
                $"{ServiceAccountContract.HostVariable} '{host}' and {ServiceAccountContract.PortVariable} '{port}' do not make an API server address");
        }

        var caPath = Path.Combine(serviceAccountDir, "ca.crt");
        var tokenPath = Path.Combine(serviceAccountDir, "token");
        if (!File.Exists(caPath) || !File.Exists(tokenPath))
        {
            // Typically automountServiceAccountToken: false without the injector's projected token.
            throw new KubeConfigException(
                $"in a cluster, but no service account token is mounted at {serviceAccountDir}; mount one (automountServiceAccountToken) or pass --kubeconfig");
        }

        var ca = LoadCertificates(KubeConfigReader.ReadBytes(caPath, "service account CA"), $"the service account CA '{caPath}'");
        var tokens = new FileTokenSource(tokenPath, TokenRefresh);
        tokens.Current(); // fail now, with a clear message, when the token cannot be read
        var nsFile = Path.Combine(serviceAccountDir, "namespace");
        string? ns = null;
        if (File.Exists(nsFile))
        {
            ns = Encoding.UTF8.GetString(KubeConfigReader.ReadBytes(nsFile, "service account namespace")).Trim();
        }

        return new KubeApiClient(server, CreateHandler(ca, insecure: false, clientCertificate: null), tokens.Current) { DefaultNamespace = ns };
    }

    internal static X509Certificate2Collection LoadCertificates(byte[] data, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            var text = Encoding.ASCII.GetString(data);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(data));
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new KubeConfigException($"{what} is not a PEM or DER certificate", e);
        }

        return collection.Count > 0 ? collection : throw new KubeConfigException($"{what} contains no certificate");
    }

    /// <summary>Checks certificate, key and pair one at a time, so the message says which of them is wrong.</summary>
    private static X509Certificate2 LoadClientCertificate(byte[] certPem, byte[] keyPem, string user)
    {
        var certText = Encoding.ASCII.GetString(certPem);
        var keyText = Encoding.ASCII.GetString(keyPem);
        try
        {
            using var alone = X509Certificate2.CreateFromPem(certText);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new KubeConfigException($"the client-certificate of user '{user}' is not a PEM certificate", e);
        }

        if (!IsPrivateKey(keyText))
        {
            throw new KubeConfigException($"the client-key of user '{user}' is not an unencrypted PEM RSA or ECDSA private key");
        }

        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certText, keyText);

            // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key of another algorithm than the certificate's (an RSA key for an ECDSA certificate).
            throw new KubeConfigException($"the client-key of user '{user}' does not belong to its client-certificate", e);
        }
    }

    private static bool IsPrivateKey(string pem) => CanImport(RSA.Create(), pem) || CanImport(ECDsa.Create(), pem);

    private static bool CanImport(AsymmetricAlgorithm key, string pem)
    {
        using (key)
        {
            try
            {
                key.ImportFromPem(pem);
                return true;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                return false; // not this algorithm, or not a key at all
            }
        }
    }

    private static SocketsHttpHandler CreateHandler(X509Certificate2Collection? ca, bool insecure, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        if (insecure)
        {
            // The kubeconfig explicitly asked for insecure-skip-tls-verify (kind/dev clusters), as kubectl honours it.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (ca is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ValidateAgainst(ca, certificate, chain, errors);
        }

        return handler;
    }

    /// <summary>Trusts exactly the configured CA bundle (not the system store), still checking the host name.</summary>
    private static bool ValidateAgainst(X509Certificate2Collection ca, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
