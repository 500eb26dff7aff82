using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Injector.Core.Admission;
using Injector.Core.Configuration;
using Injector.Core.Engine;

namespace Injector.Benchmarks;

/// <summary>
/// One AdmissionReview through the pure handler, bytes in to response bytes out (read, plan, diff, serialise,
/// base64), for the small and the large pod. <c>Read</c> is the request reader alone (one pass over the body that
/// validates it and builds the sparse pod), so a review's time splits into reading the body and the rest;
/// <c>ReadLargeUtf8JsonReader</c> is the same reading on Utf8JsonReader, which answers whatever the fast tokenizer
/// stops on (and read every review before it).
/// <c>Parse</c> is a whole JSON DOM parse, for comparison with what the handler did before the reader.
/// Both reviews are first-pass appup injections, which the handler answers on the fresh-injection fast path;
/// <c>TreePath</c> is the same review through the engine's general path (clone, plans, diff), which every other
/// review (reinvocations, other sidecars, anything unusual) takes.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly AdmissionReviewHandler _handler = new(new InjectionEngine());
    private readonly AdmissionReviewHandler _treePath = new(new InjectionEngine(), fastPath: false);
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

            if (!outcome.Body.AsSpan().SequenceEqual(_treePath.Handle(review, _config).Body))
            {
                throw new InvalidOperationException("the fast path and the tree path answered the benchmark review differently");
            }
        }
    }

    [Benchmark]
    public byte[] HandleSmall() => _handler.Handle(_small, _config).Body;

    [Benchmark]
    public byte[] HandleLarge() => _handler.Handle(_large, _config).Body;

    [Benchmark]
    public byte[] HandleSmallTreePath() => _treePath.Handle(_small, _config).Body;

    [Benchmark]
    public byte[] HandleLargeTreePath() => _treePath.Handle(_large, _config).Body;

    [Benchmark]
    public object ReadSmall() => AdmissionRequestReader.Read(_small);

    [Benchmark]
    public object ReadLarge() => AdmissionRequestReader.Read(_large);

    [Benchmark]
    public object ReadLargeUtf8JsonReader() => AdmissionRequestReader.ReadWithUtf8JsonReader(_large);

    [Benchmark]
    public JsonNode? ParseSmall() => JsonNode.Parse(_small, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });

    [Benchmark]
    public JsonNode? ParseLarge() => JsonNode.Parse(_large, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
}
