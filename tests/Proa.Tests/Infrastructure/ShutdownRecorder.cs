using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Proa.Tests.Infrastructure;

/// <summary>
/// Stand-in sidecar shutdown endpoints on a real Kestrel port. Records "METHOD /path (body N bytes)" for every call;
/// any path starting with /hang never answers (until the stand-in stops).
/// </summary>
internal sealed class ShutdownRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ShutdownRecorder(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Called for every request after it is recorded (e.g. to publish "sidecar terminated").</summary>
    public Action<string>? OnCall { get; set; }

    public static async Task<ShutdownRecorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var recorder = new ShutdownRecorder(app);
        app.Run(recorder.HandleAsync);
        await app.StartAsync();
        recorder.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return recorder;
    }

    public string Url(string path) => new Uri(BaseAddress, path).AbsoluteUri;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var call = $"{context.Request.Method} {context.Request.Path} (body {body.Length} bytes)";
        Calls.Enqueue(call);
        OnCall?.Invoke(call);
        if (context.Request.Path.StartsWithSegments("/hang"))
        {
            var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await context.Response.WriteAsync("ok");
    }
}
