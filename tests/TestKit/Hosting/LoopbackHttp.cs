using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestKit.Kube;

namespace TestKit.Hosting;

/// <summary>What the kit's stand-in servers share: a quiet Kestrel on a free loopback port, JSON answers and hangs.</summary>
internal static class LoopbackHttp
{
    /// <summary>Starts <paramref name="handler"/> on 127.0.0.1:0 and returns the app and its base URL (no trailing slash).</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(RequestDelegate handler, Action<ListenOptions>? listen = null,
        Action<KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            kestrel?.Invoke(options);
            options.Listen(IPAddress.Loopback, 0, l => listen?.Invoke(l));
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.TrimEnd('/')));
    }

    /// <summary>Writes a compact JSON body with Content-Length.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        var response = context.Response;
        response.StatusCode = code;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToWire());
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Answers nothing until the client gives up or the server stops, then drops the connection.</summary>
    public static async Task HangAsync(HttpContext context, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the client cancelled or the server is stopping
        }

        context.Abort();
    }
}
