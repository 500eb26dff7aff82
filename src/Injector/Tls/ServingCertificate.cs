using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Injector.Diagnostics;
using Injector.Hosting;
using Injector.Metrics;

namespace Injector.Tls;

/// <summary>
/// The certificate Kestrel presents, re-read from the PEM files whenever they change. A pair that cannot serve (not a
/// certificate, a key that does not match, expired, not yet valid, or a half-written rotation) is refused with one
/// log line and <c>injector_tls_reloads_total{result="error",reason=...}</c>, and the previous certificate stays in
/// use; at start-up such a pair stops serve with a one-line message.
/// </summary>
internal sealed class ServingCertificate : IDisposable
{
    private readonly string _certFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly InjectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly FileReloader _reloader;
    private volatile SslStreamCertificateContext? _current;
    private volatile bool _started;

    public ServingCertificate(string certFile, string keyFile, ReloadSettings settings, ILogger logger, InjectorMetrics metrics, TimeProvider? time = null)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _logger = logger;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _reloader = new FileReloader([certFile, keyFile], settings, _time, logger, Use,
            error => Refuse("unreadable", error), () => Log.TlsChanging(logger, certFile));
    }

    public SslStreamCertificateContext Current => _current ?? throw new InvalidOperationException("no serving certificate loaded");

    public bool IsLoaded => _current is not null;

    public X509Certificate2? Leaf => _current?.TargetCertificate;

    /// <summary>Loads the pair now and keeps watching it.</summary>
    /// <exception cref="StartupException">The pair cannot serve; the message says why.</exception>
    public void Start()
    {
        if (!_reloader.LoadNow(out var error))
        {
            throw new StartupException($"cannot load TLS certificate '{_certFile}' with key '{_keyFile}': {error}");
        }

        _started = true;
        _reloader.Watch();
    }

    /// <summary>Reads the pair and uses it now if it can serve (tests); otherwise keeps the current one.</summary>
    public bool TryReload(out string? error) => _reloader.LoadNow(out error);

    private string? Use(byte[][] contents)
    {
        string reason = "invalid";
        string error;
        try
        {
            var certPem = Encoding.ASCII.GetString(contents[0]);
            var leaf = X509Certificate2.CreateFromPem(certPem, Encoding.ASCII.GetString(contents[1]));
            var now = _time.GetUtcNow();
            if (now < leaf.NotBefore.ToUniversalTime())
            {
                reason = "not-yet-valid";
                error = $"the certificate is not valid before {leaf.NotBefore.ToUniversalTime():O} (clock skew, or issued for later?)";
            }
            else if (now > leaf.NotAfter.ToUniversalTime())
            {
                reason = "expired";
                error = $"the certificate expired on {leaf.NotAfter.ToUniversalTime():O}";
            }
            else
            {
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
                Log.TlsLoaded(_logger, leaf.Subject, leaf.Thumbprint, leaf.NotAfter.ToUniversalTime());
                _metrics.TlsReload("ok");
                _metrics.SetCertificateExpiry(leaf.NotAfter);
                return null;
            }
        }
        catch (CryptographicException ex)
        {
            // Not PEM, not a certificate, or no key.
            error = $"not a usable certificate and key pair: {ex.Message}";
        }
        catch (ArgumentException ex) when (ex.ParamName == "privateKey")
        {
            // CopyWithPrivateKey's word (through CreateFromPem) for a key of another certificate of the same algorithm
            // (a rotation half-way through, or a wrong Secret); other unusable keys are CryptographicExceptions above.
            error = $"not a usable certificate and key pair: the private key is not the certificate's (is '{_keyFile}' the key of '{_certFile}'?)";
        }
        catch (Exception ex)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        Refuse(reason, error);
        return error;
    }

    private void Refuse(string reason, string error)
    {
        if (!_started)
        {
            return; // start-up fails with this error as its one line instead
        }

        _metrics.TlsReload("error", reason);
        Log.TlsReloadFailed(_logger, _certFile, reason, Log.OneLine(error));
    }

    public void Dispose() => _reloader.Dispose();
}
