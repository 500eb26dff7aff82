using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shawarma.Tests.Fakes;

/// <summary>The stand-in application: records every POST to /applicationstate; can answer 503 while "down".</summary>
internal sealed class FakeApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/applicationstate");

    /// <summary>Bodies of POSTs answered 200, in order.</summary>
    public ConcurrentQueue<string> Delivered { get; } = new();

    public ConcurrentQueue<string> ContentTypes { get; } = new();

    public int Attempts;

    /// <summary>Stopwatch timestamp of the first delivered POST.</summary>
    public long FirstDeliveredAt;

    /// <summary>Non-zero: answer POSTs with this status (for example 503) instead of 200.</summary>
    public volatile int FailWith;

    public static async Task<FakeApp> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        FakeApp? fake = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref fake!.Attempts);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (context.Request.Method != "POST" || context.Request.Path != "/applicationstate")
            {
                context.Response.StatusCode = 404;
                return;
            }

            if (fake.FailWith != 0)
            {
                context.Response.StatusCode = fake.FailWith;
                return;
            }

            if (fake.Delivered.IsEmpty)
            {
                fake.FirstDeliveredAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            fake.ContentTypes.Enqueue(context.Request.ContentType ?? "");
            fake.Delivered.Enqueue(body);
        });
        await app.StartAsync();
        fake = new FakeApp(app, new Uri(app.Urls.First()).Port);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
