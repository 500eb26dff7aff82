using Sidecars.Http;
using Sidecars.Http.Tests.Support;

namespace Sidecars.Http.Tests;

public sealed class HttpRequestParserTests
{
    private const int Max = HttpRequestParser.DefaultMaxHeadBytes;

    private static ParseStatus Parse(string text, out string method, out string path, out bool keepAlive, out long contentLength, out int consumed)
    {
        var status = HttpRequestParser.TryParse(Wire.Ascii(text), Max, out var head, out consumed);
        method = Wire.Text(head.Method);
        path = Wire.Text(head.Path);
        keepAlive = head.KeepAlive;
        contentLength = head.ContentLength;
        return status;
    }

    private static ParseStatus Status(string text, int max = Max) =>
        HttpRequestParser.TryParse(Wire.Ascii(text), max, out _, out _);

    [Fact]
    public void Parses_a_kubelet_probe()
    {
        const string probe = "GET /health HTTP/1.1\r\nHost: 10.0.0.7:9999\r\nUser-Agent: kube-probe/1.33\r\nAccept: */*\r\nConnection: close\r\n\r\n";

        var status = Parse(probe, out var method, out var path, out var keepAlive, out var length, out var consumed);

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal("GET", method);
        Assert.Equal("/health", path);
        Assert.False(keepAlive);
        Assert.Equal(0, length);
        Assert.Equal(probe.Length, consumed);
    }

    [Fact]
    public void Every_proper_prefix_is_incomplete()
    {
        const string request = "GET /up HTTP/1.1\r\nHost: x\r\nX-A: b\r\n\r\n";
        for (var i = 0; i < request.Length; i++)
        {
            Assert.Equal(ParseStatus.Incomplete, Status(request[..i]));
        }

        Assert.Equal(ParseStatus.Complete, Status(request));
    }

    [Fact]
    public void Consumes_only_the_first_of_pipelined_requests()
    {
        const string first = "GET /up HTTP/1.1\r\nHost: x\r\n\r\n";

        var status = Parse(first + "GET /down HTTP/1.1\r\n\r\n", out _, out var path, out _, out _, out var consumed);

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal("/up", path);
        Assert.Equal(first.Length, consumed);
    }

    [Theory]
    [InlineData("HTTP/1.1", "", true)]
    [InlineData("HTTP/1.1", "Connection: close\r\n", false)]
    [InlineData("HTTP/1.1", "Connection: Keep-Alive, Close\r\n", false)]
    [InlineData("HTTP/1.1", "connection: upgrade\r\n", true)]
    [InlineData("HTTP/1.0", "", false)]
    [InlineData("HTTP/1.0", "Connection: keep-alive\r\n", true)]
    public void Keep_alive_follows_version_and_connection_header(string version, string header, bool expected)
    {
        Parse($"GET /health {version}\r\n{header}\r\n", out _, out _, out var keepAlive, out _, out _);

        Assert.Equal(expected, keepAlive);
    }

    [Theory]
    [InlineData("/health?verbose=1", "/health")]
    [InlineData("/health#x", "/health")]
    [InlineData("http://10.0.0.7:9999/up", "/up")]
    [InlineData("http://10.0.0.7:9999", "/")]
    [InlineData("/", "/")]
    public void Path_drops_query_fragment_and_authority(string target, string expected)
    {
        Parse($"GET {target} HTTP/1.1\r\n\r\n", out _, out var path, out _, out _, out _);

        Assert.Equal(expected, path);
    }

    [Fact]
    public void Accepts_bare_lf_line_ends_and_leading_empty_lines()
    {
        var status = Parse("\r\n\nGET /up HTTP/1.1\nHost: x\n\n", out var method, out var path, out _, out _, out _);

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal("GET", method);
        Assert.Equal("/up", path);
    }

    [Fact]
    public void Reads_content_length_and_trims_whitespace()
    {
        Parse("POST /up HTTP/1.1\r\nContent-Length:  12 \t\r\n\r\n", out _, out _, out _, out var length, out _);

        Assert.Equal(12, length);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET /up\r\n\r\n")]
    [InlineData("GET  /up HTTP/1.1\r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n")]
    [InlineData("GET up HTTP/1.1\r\n\r\n")]
    [InlineData("G(T /up HTTP/1.1\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1 \r\n\r\n")]
    [InlineData("GET /up HTTX/1.1\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\rX\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nNoColon\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nHost : x\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\n: x\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nX: a\u0001b\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nContent-Length: abc\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("GET /up HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public void Malformed_requests_are_rejected(string request) =>
        Assert.Equal(ParseStatus.Malformed, Status(request));

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/0.9")]
    [InlineData("HTTP/3.0")]
    public void Other_http_versions_are_unsupported(string version) =>
        Assert.Equal(ParseStatus.UnsupportedVersion, Status($"GET /up {version}\r\n\r\n"));

    [Fact]
    public void Chunked_bodies_are_not_implemented() =>
        Assert.Equal(ParseStatus.UnsupportedTransferEncoding, Status("POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));

    [Fact]
    public void Large_bodies_are_refused() =>
        Assert.Equal(ParseStatus.BodyTooLarge, Status($"POST /up HTTP/1.1\r\nContent-Length: {HttpRequestParser.MaxSkippedBody + 1}\r\n\r\n"));

    [Fact]
    public void Identical_duplicate_content_lengths_are_allowed() =>
        Assert.Equal(ParseStatus.Complete, Status("POST /up HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"));

    [Fact]
    public void A_head_larger_than_the_cap_is_too_large_even_before_it_ends()
    {
        var partial = "GET /up HTTP/1.1\r\nX: " + new string('a', 200);

        Assert.Equal(ParseStatus.Incomplete, Status(partial[..100], max: 128));
        Assert.Equal(ParseStatus.HeadTooLarge, Status(partial, max: 128));
        Assert.Equal(ParseStatus.HeadTooLarge, Status(partial + "\r\n\r\n", max: 128));
        Assert.Equal(ParseStatus.HeadTooLarge, Status(new string('A', 200), max: 128));
    }

    [Fact]
    public void Head_method_is_recognised()
    {
        HttpRequestParser.TryParse(Wire.Ascii("HEAD /health HTTP/1.1\r\n\r\n"), Max, out var head, out _);

        Assert.True(head.IsHead);
    }
}
