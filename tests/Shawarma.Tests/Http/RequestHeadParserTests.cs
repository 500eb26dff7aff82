using System.Text;
using Shawarma.Http;

namespace Shawarma.Tests.Http;

public sealed class RequestHeadParserTests
{
    private static HttpRequestHead? Parse(string head) => RequestHeadParser.Parse(Encoding.ASCII.GetBytes(head));

    [Fact]
    public void Http11_defaults_to_keep_alive_and_strips_the_query()
    {
        var head = Parse("GET /deploymentstate?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")!;
        Assert.Equal(new HttpRequestHead("GET", "/deploymentstate", true, false), head);
    }

    [Fact]
    public void Connection_headers_and_http10()
    {
        Assert.False(Parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")!.KeepAlive);
        Assert.False(Parse("GET / HTTP/1.0\r\n\r\n")!.KeepAlive);
        Assert.True(Parse("GET / HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n")!.KeepAlive);
    }

    [Fact]
    public void Bodies_are_detected()
    {
        Assert.True(Parse("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n")!.HasBody);
        Assert.True(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")!.HasBody);
        Assert.False(Parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")!.HasBody);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET /\r\n\r\n")]
    [InlineData("GET / SPDY/3\r\n\r\n")]
    public void Malformed_heads_are_rejected(string head) => Assert.Null(Parse(head));

    [Fact]
    public void Finds_the_end_of_the_head()
    {
        Assert.Equal(-1, RequestHeadParser.FindHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n"u8));
        Assert.Equal(27, RequestHeadParser.FindHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET"u8));
    }

    [Fact]
    public void Absolute_form_targets_are_reduced_to_the_path()
    {
        Assert.Equal("/_health", Parse("GET http://localhost:8099/_health HTTP/1.1\r\n\r\n")!.Path);
    }
}
