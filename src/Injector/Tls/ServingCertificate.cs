using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Injector.Diagnostics;
using Injector.Metrics;

namespace Injector.Tls;

/// <summary>
/// The certificate Kestrel presents, re-read from the PEM files whenever they change. A half-written rotation
/// (new cert, old key) fails to load and the previous certificate stays in use until the pair is consistent.
/// </summary>
internal sealed class ServingCertificate : IDisposable
{
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly InjectorMetrics _metrics;
    private volatile SslStreamCertificateContext? _current;
    private byte[] _fingerprint = [];
    private Hosting.FileChangeMonitor? _monitor;

    public ServingCertificate(string certFile, string keyFile, ILogger logger, InjectorMetrics metrics)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _logger = logger;
        _metrics = metrics;
    }

    public SslStreamCertificateContext Current => _current ?? throw new InvalidOperationException("no serving certificate loaded");

    public bool IsLoaded => _current is not null;

    public X509Certificate2? Leaf => _current?.TargetCertificate;

    /// <summary>Loads the pair now (throws with a clear message if it cannot) and keeps watching it.</summary>
    public void Start(TimeSpan pollInterval)
    {
        if (!TryReload(out var error))
        {
            throw new InvalidOperationException($"cannot load TLS certificate '{_certFile}' with key '{_keyFile}': {error}");
        }

        _monitor = new Hosting.FileChangeMonitor([_certFile, _keyFile], pollInterval, () => TryReload(out _));
    }

    public bool TryReload(out string? error)
    {
        error = null;
        byte[] certBytes = [], keyBytes = [];
        try
        {
            certBytes = File.ReadAllBytes(_certFile);
            keyBytes = File.ReadAllBytes(_keyFile);
        }
        catch (IOException ex)
        {
            error = ex.Message;
        }
        catch (UnauthorizedAccessException ex)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            Log.TlsReloadFailed(_logger, _certFile, error);
            _metrics.TlsReloads("error");
            return false;
        }

        var fingerprint = SHA256.HashData([.. certBytes, .. keyBytes]);
        if (fingerprint.AsSpan().SequenceEqual(_fingerprint))
        {
            return true;
        }

        try
        {
            var certPem = System.Text.Encoding.ASCII.GetString(certBytes);
            var keyPem = System.Text.Encoding.ASCII.GetString(keyBytes);
            var leaf = X509Certificate2.CreateFromPem(certPem, keyPem);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(certPem);
            var intermediates = new X509Certificate2Collection();
            foreach (var cert in chain)
            {
                if (cert.Thumbprint != leaf.Thumbprint)
                {
                    intermediates.Add(cert);
                }
            }

            // Connections already established keep the context they were handed; new ones get this one.
            _current = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            _fingerprint = fingerprint;
            Log.TlsLoaded(_logger, leaf.Subject, leaf.Thumbprint, leaf.NotAfter);
            _metrics.TlsReloads("ok");
            _metrics.SetCertificateExpiry(leaf.NotAfter);
            return true;
        }
        catch (CryptographicException ex)
        {
            error = ex.Message;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }

        Log.TlsReloadFailed(_logger, _certFile, error);
        _metrics.TlsReloads("error");
        return false;
    }

    public void Dispose() => _monitor?.Dispose();
}
