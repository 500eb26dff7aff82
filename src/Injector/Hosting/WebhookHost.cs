using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Injector.Cli;
using Injector.Configuration;
using Injector.Core.Admission;
using Injector.Core.Engine;
using Injector.Diagnostics;
using Injector.Metrics;
using Injector.Tls;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Injector.Hosting;

/// <summary>
/// The running webhook: HTTPS <c>/mutate</c> on one port, plain HTTP health and metrics on another (so probes and
/// scrapers need no certificates). Tests start it in-process with port 0 and read the bound addresses back.
/// </summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookHost(WebApplication app, Uri mutateUri, Uri healthUri, string? caFile, ServingCertificate certificate, ConfigStore config)
    {
        _app = app;
        MutateUri = mutateUri;
        HealthUri = healthUri;
        GeneratedCaFile = caFile;
        Certificate = certificate;
        Config = config;
    }

    public Uri MutateUri { get; }

    public Uri HealthUri { get; }

    /// <summary>The CA that signed the self-signed certificate, when one was generated.</summary>
    public string? GeneratedCaFile { get; }

    public ServingCertificate Certificate { get; }

    public ConfigStore Config { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebhookHost> StartAsync(ServeOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var metrics = new InjectorMetrics();
        ServingCertificate? certificate = null; // loaded after Build, once logging exists; Kestrel reads it per handshake

        var clusterRoles = Rbac.RoleBindingReconcilerOptions.ParseClusterRoles(options.SidecarClusterRoles);
        if (clusterRoles.Count > 0)
        {
            // Sidecars that read the API get a RoleBinding per (namespace, service account) of injected pods.
            Rbac.RoleBindingLoop.AddRoleBindingLoop(builder.Services, new Rbac.RoleBindingReconcilerOptions { ClusterRoles = clusterRoles });
        }

        builder.Services.AddSingleton(metrics);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Our own reader stops at the cap with a clear 400; Kestrel's limit only backs it up.
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes * 2;
            var address = options.ListenAddress == "*" ? IPAddress.IPv6Any : IPAddress.Parse(options.ListenAddress);
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = certificate!.Current,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                    }),
                });
            });
            kestrel.Listen(address, options.HealthPort, listen => listen.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Injector");
        string? caFile = null;
        var certFile = options.TlsCertFile;
        var keyFile = options.TlsKeyFile;
        if (certFile is null || keyFile is null)
        {
            var dir = options.SelfSignedDir ?? Path.Combine(Path.GetTempPath(), "injector-selfsigned-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var files = SelfSignedCertificates.Create(dir);
            (caFile, certFile, keyFile) = (files.CaCertFile, files.CertFile, files.KeyFile);
            Log.SelfSigned(logger, caFile);
        }

        certificate = new ServingCertificate(certFile, keyFile, logger, metrics);
        certificate.Start(options.ReloadInterval);
        var config = new ConfigStore(options.ConfigFile, logger, metrics);
        config.Start(options.ReloadInterval);
        var loaded = certificate;
        var endpoint = new MutateEndpoint(new AdmissionReviewHandler(new InjectionEngine()), config, metrics, logger, options.MaxRequestBytes);
        app.MapPost("/mutate", context => context.Request.IsHttps ? endpoint.HandleAsync(context) : NotFound(context));
        app.MapGet("/healthz", context => context.Request.IsHttps ? NotFound(context) : Text(context, 200, "ok\n"));
        app.MapGet("/readyz", context => context.Request.IsHttps
            ? NotFound(context)
            : loaded.IsLoaded ? Text(context, 200, "ready\n") : Text(context, 503, "no serving certificate\n"));
        app.MapGet("/metrics", context => context.Request.IsHttps
            ? NotFound(context)
            : Text(context, 200, metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)))
            .ToList();
        var https = addresses.First(a => a.Scheme == "https");
        var http = addresses.First(a => a.Scheme == "http");
        Log.Listening(logger, options.ListenAddress, https.Port, http.Port);
        return new WebhookHost(app, new Uri(https, "/mutate"), new Uri(http, "/"), caFile, loaded, config);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate.Dispose();
        Config.Dispose();
    }

    private static Task NotFound(HttpContext context) => Text(context, 404, "not found\n");

    private static Task Text(HttpContext context, int status, string body, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body);
    }
}
