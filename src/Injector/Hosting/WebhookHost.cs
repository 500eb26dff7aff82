using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Security;
using System.Security.Authentication;
using Injector.Cli;
using Injector.Configuration;
using Injector.Core.Admission;
using Injector.Core.Engine;
using Injector.Diagnostics;
using Injector.Metrics;
using Injector.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Injector.Hosting;

/// <summary>
/// The running webhook: HTTPS <c>/mutate</c> on one port, plain HTTP health and metrics on another (so probes and
/// scrapers need no certificates). Tests start it in-process with port 0 and read the bound addresses back.
/// </summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private const string MutatePath = "/mutate";

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

    /// <exception cref="StartupException">Config, TLS files or kubeconfig unusable, or a port in use.</exception>
    public static async Task<WebhookHost> StartAsync(ServeOptions options, CancellationToken cancellationToken = default)
    {
        // No file watching of appsettings.json: the host would watch its content root (the working directory, "/" in the
        // image) with a recursive FileSystemWatcher, one inotify watch and a managed path string per directory below it.
        // Measured from "/": ready after 3.7 s instead of 0.1 s and 38.9 MiB idle instead of 29.5. Our own files (config,
        // TLS) are watched by FileChangeMonitor.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        var started = new StrongBox<bool>();
        ConfigureLogging(builder.Logging, options, started);
        builder.Services.AddSingleton<InjectorMetrics>();
        // The injector's meter is enabled for this host's meters only (MeterScope.Local: those made by this host's
        // IMeterFactory), not by name process-wide as AddMeter would, so two hosts in one process (tests) keep
        // separate counts. "OpenTelemetry" is the name of the listener OpenTelemetry.Extensions.Hosting registers.
        builder.Services.AddMetrics(metrics => metrics.EnableMetrics(InjectorMetrics.MeterName, instrumentName: null, listenerName: "OpenTelemetry", MeterScope.Local));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("injector", serviceVersion: typeof(WebhookHost).Assembly.GetName().Version?.ToString(3)))
            .WithMetrics(metrics => metrics
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            // OpenTelemetry sizes every metric stream for its cardinality limit up front (2000 points by default, some
            // 200 KB per stream); our series number in the tens (config_info keeps at most 64 revisions). Measured:
            // start-up allocations 9.4 -> 3.6 MB.
            .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = 128 })
            .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));

        var clusterRoles = Rbac.RoleBindingReconcilerOptions.ParseClusterRoles(options.SidecarClusterRoles);
        if (clusterRoles.Count > 0)
        {
            // Sidecars that read the API get a RoleBinding per (namespace, service account) of injected pods.
            try
            {
                Rbac.RoleBindingLoop.AddRoleBindingLoop(builder.Services, new Rbac.RoleBindingReconcilerOptions { ClusterRoles = clusterRoles }, options.Kubeconfig, options.KubeContext);
            }
            catch (InvalidOperationException ex)
            {
                // No usable kubeconfig or in-cluster configuration: one sentence that says what to do.
                throw new StartupException(ex.Message, ex);
            }
        }

        var buffers = new RequestBufferPool(MutateEndpoint.DefaultRetainedBufferBytes);
        var kestrelPools = new TrimmableMemoryPoolFactory();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(kestrelPools);
        if (options.TrimMemory)
        {
            builder.Services.AddHostedService(_ => new IdleMemoryTrimmer(buffers, kestrelPools, TimeProvider.System));
        }

        builder.Services.Configure<SocketTransportOptions>(sockets =>
        {
            // What the socket transport reads ahead of Kestrel per connection (1 MB by default). The endpoint copies the
            // body out as it arrives, so more read-ahead only holds a body twice: with 64 connections sending 150 KB
            // reviews that was ~10 MB of pinned pool blocks. The rest waits in the kernel's socket buffer.
            sockets.MaxReadBufferSize = 64 * 1024;
        });

        ServingCertificate? certificate = null; // loaded after Build, once logging exists; Kestrel reads it per handshake
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Our own reader stops at the cap with a clear 400; Kestrel's limit only backs it up.
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes * 2;
            // Read-ahead past the TLS layer per connection (1 MB by default); see MaxReadBufferSize below.
            kestrel.Limits.MaxRequestBufferSize = 64 * 1024;
            // HTTP/2: a 150 KB review does not fit Kestrel's default 96 KiB stream window, so the client stops mid-body
            // for a WINDOW_UPDATE. The endpoint reads every body as it arrives, and the connection window still bounds
            // what one connection can make us buffer.
            kestrel.Limits.Http2.InitialStreamWindowSize = 256 * 1024;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 1024 * 1024;
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
        ConfigStore? config = null;
        try
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Injector");
            // Start listening before the first certificate and config loads are counted: the MeterProvider, and the
            // metrics subscription that the host would otherwise only start (through start-up validation) in StartAsync.
            _ = app.Services.GetRequiredService<MeterProvider>();
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            var metrics = app.Services.GetRequiredService<InjectorMetrics>();
            var reload = ReloadSettings.From(options);
            var (caFile, certFile, keyFile) = CertificateFiles(options, logger);
            certificate = new ServingCertificate(certFile, keyFile, reload, logger, metrics);
            certificate.Start();
            config = new ConfigStore(options.ConfigFile, reload, logger, metrics);
            config.Start();
            Map(app, new MutateEndpoint(new AdmissionReviewHandler(new InjectionEngine()).Handle, config, metrics, logger, options.MaxRequestBytes, buffers), certificate, config);

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // Kestrel's AddressInUseException and friends: say which address, without a stack trace.
                throw new StartupException($"cannot listen on {options.ListenAddress} ports {options.Port} and {options.HealthPort}: {ex.Message}", ex);
            }

            started.Value = true;
            if (options.TrimMemory)
            {
                IdleMemoryTrimmer.Collect();
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)))
                .ToList();
            var https = addresses.First(a => a.Scheme == "https");
            var http = addresses.First(a => a.Scheme == "http");
            Log.Listening(logger, options.ListenAddress, https.Port, http.Port);
            return new WebhookHost(app, new Uri(https, "/mutate"), new Uri(http, "/"), caFile, certificate, config);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            config?.Dispose();
            throw;
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServeOptions options, StrongBox<bool> started)
    {
        logging.ClearProviders();
        if (options.JsonLogs)
        {
            // One JSON object per line, for the cluster's log pipeline.
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        logging.SetMinimumLevel(options.LogLevel);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Off: while this category logs anything, hosting starts an Activity and a log scope for every request (to
        // correlate its request-start/finish lines, which are below Warning anyway). Unhandled errors are still
        // logged by Kestrel, and /mutate answers every failure itself.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // A failed start (a port in use) becomes one line on stderr; the host's own "Hosting failed to start" error
        // would add its stack trace to the log.
        logging.AddFilter("Microsoft.Extensions.Hosting", level => level >= options.LogLevel && (started.Value || level < LogLevel.Error));
    }

    private static (string? CaFile, string CertFile, string KeyFile) CertificateFiles(ServeOptions options, ILogger logger)
    {
        if (options.TlsCertFile is { } certFile && options.TlsKeyFile is { } keyFile)
        {
            return (null, certFile, keyFile);
        }

        var dir = options.SelfSignedDir ?? Path.Combine(Path.GetTempPath(), "injector-selfsigned-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SelfSignedCertificates.Files files;
        try
        {
            files = SelfSignedCertificates.Create(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"cannot write the self-signed certificate to '{dir}' (--self-signed-dir): {ex.Message}", ex);
        }

        Log.SelfSigned(logger, files.CaCertFile);
        return (files.CaCertFile, files.CertFile, files.KeyFile);
    }

    private static void Map(WebApplication app, MutateEndpoint endpoint, ServingCertificate certificate, ConfigStore config)
    {
        // POST /mutate over HTTPS, the one path on every pod creation, goes straight to the endpoint: no route matching,
        // no endpoint middleware. Anything else (other methods, paths that differ in case or a trailing slash, the
        // plain port) goes through routing below, which maps /mutate too and so answers exactly as before.
        app.Use((context, next) => context.Request.IsHttps && HttpMethods.IsPost(context.Request.Method)
            && context.Request.Path.Value is MutatePath ? endpoint.HandleAsync(context) : next(context));
        app.UseRouting();
        // /metrics, on the plain port only: OpenTelemetry's Prometheus exporter (text format 0.0.4, or OpenMetrics when asked).
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => !context.Request.IsHttps && context.Request.Path == "/metrics");
        app.MapPost(MutatePath, context => context.Request.IsHttps ? endpoint.HandleAsync(context) : NotFound(context));
        app.MapGet("/healthz", context => context.Request.IsHttps ? NotFound(context) : Text(context, 200, "ok\n"));
        app.MapGet("/readyz", context => context.Request.IsHttps ? NotFound(context) : Ready(context, certificate, config));
    }

    /// <summary>Ready once a serving certificate and a config are loaded (both are kept through failed reloads).</summary>
    private static Task Ready(HttpContext context, ServingCertificate certificate, ConfigStore config) =>
        !certificate.IsLoaded ? Text(context, 503, "not ready: no serving certificate loaded\n")
        : !config.IsLoaded ? Text(context, 503, "not ready: no config loaded\n")
        : Text(context, 200, "ready\n");

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
