using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Injector.Core.Admission;
using Injector.Core.Patching;
using Injector.Core.Tests.Support;

namespace Injector.Core.Tests;

/// <summary>
/// <see cref="FastJsonTokens"/> reads a review only where Utf8JsonReader would read it the same way: token by token
/// on what it accepts, never on what the reader refuses, and whatever it stops on is answered by the reader. The
/// review readings on both tokenizers are compared on every golden review, the benchmark's shapes, crafted texts and
/// tens of thousands of mutated reviews.
/// </summary>
public sealed class FastJsonTokensTests
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = AdmissionRequestReader.MaxDepth };

    /// <summary>Valid JSON inside the subset: every value kind, escapes, numbers of every form, whitespace of every kind.</summary>
    public static TheoryData<string> Readable => new()
    {
        "{}",
        "[]",
        " \r\n\t{ \"a\" : [ 1 , -0 , 0.5 , -12.25e+3 , 1E-7 , 9007199254740993 , 1e400 ] , \"b\":{ } ,\"c\":[ ] }\r\n ",
        """{"s":"plain","e":"q\"b\\s\/n\nr\rt\tb\bf\fu\u00e9\u4e2d\u0000\uFFFF","k\u0041y":true,"f":false,"n":null}""",
        """{"utf8":"héllo wörld 中文 😀","long":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"}""",
        new string('[', FastJsonTokens.DepthLimit) + new string(']', FastJsonTokens.DepthLimit),
        "\"top-level string\"",
        "  42  ",
        "true",
        "null",
        """{"a":{"b":[{"c":"d\"}"},"]"],"e":"\\"}}""",
    };

    /// <summary>What the tokenizer stops on: everything invalid, and the valid texts outside its subset.</summary>
    public static TheoryData<string, bool> Stops => new()
    {
        // text, and whether Utf8JsonReader reads it (valid JSON outside the subset)
        { "", false },
        { "   ", false },
        { "{", false },
        { "{\"a\"}", false },
        { "{\"a\":}", false },
        { "{\"a\":1,}", false },
        { "[1,]", false },
        { "[1 2]", false },
        { "{\"a\":1 \"b\":2}", false },
        { "{'a':1}", false },
        { "{a:1}", false },
        { "[01]", false },
        { "[-]", false },
        { "[1.]", false },
        { "[.5]", false },
        { "[1e]", false },
        { "[1e+]", false },
        { "[+1]", false },
        { "[0x10]", false },
        { "[NaN]", false },
        { "[tru]", false },
        { "[truex]", false },
        { "[nul]", false },
        { "[true false]", false },
        { "[\"a\"\"b\"]", false },
        { "[\"unterminated]", false },
        { "[\"bad \\x escape\"]", false },
        { "[\"short \\u12\"]", false },
        { "[\"non-hex \\u12G4\"]", false },
        { "[\"tab\tinside\"]", false },
        { "[\"newline\ninside\"]", false },
        { "{}{}", false },
        { "{} x", false },
        { "[1]]", false },
        { "[}", false },
        { "{]", false },
        { "{\"a\":[1}}", false },
        { "[{\"a\":1]]", false },
        { "[[[]]}", false },
        { "/* comment */ {}", false },
        { "{} // comment", false },
        { "\uFEFF{}", false },
        { "[\"pair \\ud83d\\ude00\"]", true },
        { "[\"lone \\ud800\"]", true },
        { "[\"lone low \\uDC00\"]", true },
        { new string('[', FastJsonTokens.DepthLimit + 1) + new string(']', FastJsonTokens.DepthLimit + 1), true },
        { new string('[', 129) + new string(']', 129), false },
    };

    [Theory]
    [MemberData(nameof(Readable))]
    public void Reads_the_subset_token_for_token_as_Utf8JsonReader(string text)
    {
        var json = Encoding.UTF8.GetBytes(text);
        var fast = new FastJsonTokens(json);
        var reader = new Utf8JsonReader(json, Options);
        var tokens = 0;
        while (true)
        {
            var more = reader.Read();
            Assert.Equal(more, fast.Read());
            if (!more)
            {
                break;
            }

            tokens++;
            Assert.Equal(reader.TokenType, fast.TokenType);
            Assert.Equal(reader.TokenStartIndex, fast.TokenStartIndex);
            Assert.Equal(reader.BytesConsumed, fast.BytesConsumed);
            switch (reader.TokenType)
            {
                case JsonTokenType.String or JsonTokenType.PropertyName:
                    Assert.Equal(reader.ValueSpan.ToArray(), fast.ValueSpan.ToArray());
                    Assert.Equal(reader.ValueIsEscaped, fast.ValueIsEscaped);
                    Assert.Equal(reader.GetString(), fast.GetString());
                    var a = new byte[256];
                    var b = new byte[256];
                    Assert.Equal(a.AsSpan(0, reader.CopyString(a)).ToArray(), b.AsSpan(0, fast.CopyString(b)).ToArray());
                    Assert.Equal(reader.ValueTextEquals("a"u8), fast.ValueTextEquals("a"u8));
                    Assert.Equal(reader.ValueTextEquals("kAy"u8), fast.ValueTextEquals("kAy"u8));
                    break;
                case JsonTokenType.Number:
                    Assert.Equal(reader.ValueSpan.ToArray(), fast.ValueSpan.ToArray());
                    Assert.Equal(reader.TryGetInt32(out var i32), fast.TryGetInt32(out var f32));
                    Assert.Equal(i32, f32);
                    Assert.Equal(reader.TryGetInt64(out var i64), fast.TryGetInt64(out var f64));
                    Assert.Equal(i64, f64);
                    Assert.Equal(reader.TryGetDouble(out var d), fast.TryGetDouble(out var fd));
                    Assert.Equal(d, fd);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    Assert.Equal(reader.GetBoolean(), fast.GetBoolean());
                    break;
            }
        }

        Assert.True(tokens > 0);
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public void Skips_as_Utf8JsonReader_does(string text)
    {
        // Skip at every token in turn: both land on the same token at the same place.
        var json = Encoding.UTF8.GetBytes(text);
        for (var at = 0; ; at++)
        {
            var fast = new FastJsonTokens(json);
            var reader = new Utf8JsonReader(json, Options);
            var reached = true;
            for (var n = 0; n <= at; n++)
            {
                reached = reader.Read();
                Assert.Equal(reached, fast.Read());
                if (!reached)
                {
                    break;
                }
            }

            if (!reached)
            {
                return;
            }

            reader.Skip();
            fast.Skip();
            Assert.Equal(reader.TokenType, fast.TokenType);
            Assert.Equal(reader.BytesConsumed, fast.BytesConsumed);
            Assert.Equal(reader.TokenStartIndex, fast.TokenStartIndex);
            while (reader.Read())
            {
                Assert.True(fast.Read());
                Assert.Equal(reader.TokenType, fast.TokenType);
                Assert.Equal(reader.TokenStartIndex, fast.TokenStartIndex);
            }

            Assert.False(fast.Read());
        }
    }

    [Theory]
    [MemberData(nameof(Stops))]
    public void Stops_on_what_it_does_not_read_and_the_reader_decides(string text, bool valid)
    {
        var json = Encoding.UTF8.GetBytes(text);
        Assert.Throws<FastJsonTokens.Stopped>(() => ReadAll(json, skip: false));
        Assert.Throws<FastJsonTokens.Stopped>(() => ReadAll(json, skip: true));
        var reader = new Utf8JsonReader(json, Options);
        var readerRead = true;
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            readerRead = false;
        }

        Assert.Equal(valid, readerRead);
    }

    public static TheoryData<string> Scenarios => new(GoldenScenario.Names());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Golden_reviews_are_read_fast_and_as_the_reader_reads_them(string name)
    {
        var review = Encoding.UTF8.GetBytes(GoldenScenario.Load(name).Review.ToJsonString());
        var fast = AdmissionRequestReader.TryReadFast(review);
        Assert.NotNull(fast);
        Assert.Equal(Describe(AdmissionRequestReader.ReadWithUtf8JsonReader(review)), Describe(fast));
    }

    [Fact]
    public void Mutated_reviews_are_read_fast_only_where_the_reader_reads_them_the_same_way()
    {
        // Single-byte edits of real reviews (one golden review pretty-printed, so whitespace is mutated too): whatever
        // the fast reading answers is what the reader answers; every syntax error is left to the reader.
        var seeds = GoldenScenario.Names().Take(6)
            .Select(name => GoldenScenario.Load(name).Review)
            .Select((review, i) => Encoding.UTF8.GetBytes(review.ToJsonString(new JsonSerializerOptions { WriteIndented = i == 0 })))
            .ToArray();
        var alphabet = "{}[],:\"\\ \n01-.eE+tfnu/aZ"u8.ToArray();
        var random = new Random(20261202);
        int fastRead = 0, stopped = 0, invalid = 0;
        for (var n = 0; n < 30_000; n++)
        {
            var seed = seeds[n % seeds.Length];
            var mutant = Mutate(seed, random, alphabet);
            if (!Utf8.IsValid(mutant))
            {
                continue; // the handler answers invalid UTF-8 before any reading
            }

            var slow = AdmissionRequestReader.ReadWithUtf8JsonReader(mutant);
            var fast = AdmissionRequestReader.TryReadFast(mutant);
            if (slow.SyntaxError is not null)
            {
                invalid++;
                Assert.True(fast is null, $"read fast, but the reader says: {slow.SyntaxError}\n{Encoding.UTF8.GetString(mutant)}");
                continue;
            }

            if (fast is null)
            {
                stopped++;
                continue;
            }

            fastRead++;
            Assert.Equal(Describe(slow), Describe(fast));
        }

        // Most single edits break the JSON; enough still read to make the comparison mean something.
        Assert.True(invalid > 5_000, $"{invalid} invalid mutants");
        Assert.True(fastRead > 2_000, $"{fastRead} mutants read fast ({stopped} stopped)");
    }

    private static byte[] Mutate(byte[] seed, Random random, byte[] alphabet)
    {
        var at = random.Next(seed.Length);
        var list = new List<byte>(seed);
        switch (random.Next(4))
        {
            case 0:
                list.RemoveAt(at);
                break;
            case 1:
                list.Insert(at, alphabet[random.Next(alphabet.Length)]);
                break;
            case 2:
                list[at] = alphabet[random.Next(alphabet.Length)];
                break;
            default:
                var length = Math.Min(random.Next(1, 40), seed.Length - at);
                list.InsertRange(at, seed.AsSpan(at, length).ToArray());
                break;
        }

        return [.. list];
    }

    private static void ReadAll(byte[] json, bool skip)
    {
        var fast = new FastJsonTokens(json);
        while (fast.Read())
        {
            if (skip)
            {
                fast.Skip();
            }
        }
    }

    /// <summary>Everything a reading produced, as text: the envelope fields, the pod, and what each list item knows.</summary>
    private static string Describe(AdmissionRequest request)
    {
        var text = new StringBuilder();
        text.AppendLine($"{request.SyntaxError}|{request.RootIsObject}|{request.EnvelopeHasDuplicate}|{request.PodHasDuplicate}");
        text.AppendLine($"{request.ApiVersion}|{request.Kind}|{request.HasRequest}|{request.Uid}|{request.RequestKindIsObject}");
        text.AppendLine($"{request.RequestKindGroup}|{request.RequestKindKind}|{request.Namespace}|{request.Operation}");
        text.AppendLine(request.Pod?.ToJsonString() ?? "(no pod)");
        if (request.Pod?["spec"] is JsonObject spec)
        {
            foreach (var (key, value) in spec)
            {
                if (value is JsonArray list)
                {
                    foreach (var item in list)
                    {
                        if (RawJson.Of(item) is { } raw)
                        {
                            text.AppendLine($"{key}[{raw.Index}] {raw.Kind} {raw.Name} {string.Join(',', raw.Ports)} {raw.MalformedField}");
                        }
                    }
                }
            }
        }

        return text.ToString();
    }
}
