using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;

namespace Injector.Benchmarks;

/// <summary>
/// One AdmissionReview through the pure handler, bytes in to response bytes out (parse, plan, diff, serialise,
/// base64), for the small and the large pod. <c>Parse</c> is the JSON DOM parse alone, to show its share.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly AdmissionReviewHandler _handler = new(new InjectionEngine());
    private readonly InjectorConfig _config = InjectorConfig.Default;
    private byte[] _small = [];
    private byte[] _large = [];

    [GlobalSetup]
    public void Setup()
    {
        _small = Reviews.Small();
        _large = Reviews.Large();
        foreach (var review in new[] { _small, _large })
        {
            var outcome = _handler.Handle(review, _config);
            if (outcome.StatusCode != 200 || outcome.Result?.Patch.Count is null or 0)
            {
                throw new InvalidOperationException("benchmark review was not injected: " + System.Text.Encoding.UTF8.GetString(outcome.Body));
            }
        }
    }

    [Benchmark]
    public byte[] HandleSmall() => _handler.Handle(_small, _config).Body;

    [Benchmark]
    public byte[] HandleLarge() => _handler.Handle(_large, _config).Body;

    [Benchmark]
    public JsonNode? ParseSmall() => JsonNode.Parse(_small, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });

    [Benchmark]
    public JsonNode? ParseLarge() => JsonNode.Parse(_large, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
}
