using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Controllers.Kube;

/// <summary>
/// The plain-HTTP endpoints every controller serves: <c>/healthz</c>, <c>/readyz</c> (200 or 503 with the failing
/// checks) and <c>/metrics</c> (the OpenTelemetry Prometheus exporter over the given meters, plus the runtime's own
/// <c>System.Runtime</c> meter and the reconcile loop's).
/// </summary>
public static class ControllerWebHost
{
    public static WebApplication Build(IPAddress address, int port, ControllerHealth health, IEnumerable<string> meters, Action<ILoggingBuilder> logging)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(logging);
        var builder = WebApplication.CreateSlimBuilder();
        logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        builder.Services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter([.. meters, ReconcileLoop.MeterName, "System.Runtime"]);
            m.AddPrometheusExporter();
        });
        var app = builder.Build();
        app.MapGet("/healthz", () => health.Live() is { } failing ? Results.Text($"unhealthy: {failing}\n", statusCode: 503) : Results.Text("ok\n"));
        app.MapGet("/readyz", () => health.Ready() is { } failing ? Results.Text($"not ready: {failing}\n", statusCode: 503) : Results.Text("ok\n"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
