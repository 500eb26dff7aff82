using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using Injector.Configuration;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Tests.Support;
using Injector.Hosting;
using Injector.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Injector.Tests.Webhook;

/// <summary>
/// The endpoint is total on its own, whatever the handler below it does: a failure inside the injector is answered
/// with a review that echoes the uid and denies with status 500 (controller-runtime's Errored), or a 400 when no uid
/// can be read, and it is counted as result="error".
/// </summary>
public sealed class MutateEndpointTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<string> _results = [];

    public MutateEndpointTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "injector_admission_requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (value > 0)
            {
                lock (_results)
                {
                    _results.Add((string)tags[0].Value!);
                }
            }
        });
        _listener.Start();
    }

    private async Task<(int Status, JsonNode Body)> PostAsync(byte[] body, Func<ReadOnlyMemory<byte>, InjectorConfig, AdmissionOutcome> handle)
    {
        var metrics = new InjectorMetrics(_services.GetRequiredService<IMeterFactory>());
        using var config = new ConfigStore(null, new ReloadSettings(TimeSpan.FromHours(1), TimeSpan.Zero, false), NullLogger.Instance, metrics);
        var endpoint = new MutateEndpoint(handle, config, metrics, NullLogger.Instance, 64 * 1024);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();

        await endpoint.HandleAsync(context);

        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JsonNode.Parse(context.Response.Body)!);
    }

    [Fact]
    public async Task A_handler_that_throws_gets_a_denial_echoing_the_uid_and_is_counted_as_an_error()
    {
        var review = GoldenScenario.Load("appup-plain-pod");

        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes(review.Review.ToJsonString()), (_, _) => throw new InvalidOperationException("engine bug"));

        Assert.Equal(200, status);
        var response = body["response"]!;
        Assert.Equal(review.Uid, response["uid"]!.GetValue<string>());
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(500, response["status"]!["code"]!.GetValue<int>());
        Assert.Contains("InvalidOperationException", response["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["error"], _results);
    }

    [Theory]
    [InlineData("""{"request":{"uid":"\ud800"}}""")]
    [InlineData("""{"request":{"kind":"no uid"}}""")]
    [InlineData("""{"request":"not an object"}""")]
    public async Task Without_a_readable_uid_a_failure_gets_a_400_with_a_json_error(string text)
    {
        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes(text), (_, _) => throw new FormatException("bug"));

        Assert.Equal(400, status);
        Assert.Contains("FormatException", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["error"], _results);
    }

    [Fact]
    public async Task The_uid_is_found_after_other_fields_and_nested_objects()
    {
        var text = """{"kind":"AdmissionReview","x":{"request":{"uid":"wrong"}},"request":{"object":{"uid":"inner"},"uid":"right"}}""";

        var (_, body) = await PostAsync(Encoding.UTF8.GetBytes(text), (_, _) => throw new InvalidOperationException());

        Assert.Equal("right", body["response"]!["uid"]!.GetValue<string>());
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
