using System.Buffers;
using Sidecars.Http;
using Sidecars.Http.Tests.Support;
using TestKit.Time;

namespace Sidecars.Http.Tests;

public sealed class HttpSessionTests
{
    private readonly SwitchHandler _file = new();
    private readonly HttpSession _session;
    private readonly OutputBuffer _output = new(ArrayPool<byte>.Shared);

    public HttpSessionTests()
    {
        var clock = FakeClock.Create(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        _session = new HttpSession(_file, new HttpDate(clock), maxHeadBytes: 256, server: "appup"u8.ToArray());
    }

    /// <summary>Feeds input in chunks as a socket would, keeping unconsumed bytes, until Close or the end.</summary>
    private (string Output, SessionStatus Last, int Leftover) Feed(string input, int chunk = int.MaxValue)
    {
        var bytes = Wire.Ascii(input);
        var pending = new List<byte>();
        var last = SessionStatus.NeedMoreInput;
        for (var offset = 0; offset < bytes.Length && last != SessionStatus.Close; offset += chunk)
        {
            pending.AddRange(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
            do
            {
                last = _session.Process(pending.ToArray(), _output, out var consumed);
                pending.RemoveRange(0, consumed);
            }
            while (last == SessionStatus.OutputFull);
        }

        return (Wire.Text(_output.WrittenSpan), last, pending.Count);
    }

    [Fact]
    public void Answers_one_request_with_date()
    {
        var (output, last, _) = Feed("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(SessionStatus.NeedMoreInput, last);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nDate: Thu, 02 Jan 2025 03:04:05 GMT\r\nServer: appup\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\nCache-Control: no-store\r\n\r\napp is up\n",
            output);
    }

    [Fact]
    public void Byte_by_byte_input_gives_the_same_answers_as_one_read()
    {
        const string requests = "GET /down HTTP/1.1\r\n\r\nGET /down HTTP/1.1\r\n\r\nGET /up HTTP/1.1\r\n\r\n";

        var (output, _, leftover) = Feed(requests, chunk: 1);

        Assert.Equal([200, 503, 200], Wire.StatusCodes(output));
        Assert.Equal(0, leftover);
    }

    [Fact]
    public void Pipelined_requests_are_answered_in_order()
    {
        var (output, last, _) = Feed("GET /health HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nPOST /up HTTP/1.1\r\n\r\nGET /down HTTP/1.1\r\n\r\n");

        Assert.Equal([200, 404, 405, 200], Wire.StatusCodes(output));
        Assert.Equal(SessionStatus.NeedMoreInput, last);
    }

    [Fact]
    public void Many_pipelined_requests_flush_in_bounded_pieces()
    {
        var requests = string.Concat(Enumerable.Repeat("GET /health HTTP/1.1\r\n\r\n", 200));
        var input = Wire.Ascii(requests);
        var answered = 0;
        var consumedTotal = 0;
        var flushes = 0;
        SessionStatus status;
        do
        {
            _output.Clear();
            status = _session.Process(input.AsSpan(consumedTotal), _output, out var consumed);
            consumedTotal += consumed;
            answered += Wire.StatusCodes(Wire.Text(_output.WrittenSpan)).Length;
            Assert.True(_output.WrittenCount < HttpSession.OutputFlushThreshold + 512);
            flushes++;
        }
        while (status == SessionStatus.OutputFull);

        Assert.Equal(200, answered);
        Assert.True(flushes > 1);
        Assert.Equal(input.Length, consumedTotal);
    }

    [Fact]
    public void Request_bodies_are_skipped_even_across_reads()
    {
        var (output, _, leftover) = Feed("POST /nope HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world" + "GET /health HTTP/1.1\r\n\r\n", chunk: 7);

        Assert.Equal([404, 200], Wire.StatusCodes(output));
        Assert.Equal(0, leftover);
    }

    [Fact]
    public void Connection_close_closes_after_the_response()
    {
        var (output, last, _) = Feed("GET /health HTTP/1.1\r\nConnection: close\r\n\r\nGET /down HTTP/1.1\r\n\r\n");

        Assert.Equal(SessionStatus.Close, last);
        Assert.Equal([200], Wire.StatusCodes(output));
        Assert.Contains("Connection: close", output);
        Assert.True(_file.IsPresent);
    }

    [Fact]
    public void Expect_continue_with_a_body_closes_rather_than_guess_whether_the_body_follows()
    {
        var (output, last, _) = Feed("POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");

        Assert.Equal(SessionStatus.Close, last);
        Assert.Equal([405], Wire.StatusCodes(output));
        Assert.Contains("Connection: close", output);
    }

    [Fact]
    public void Http10_closes_unless_keep_alive_is_asked_for()
    {
        Assert.Equal(SessionStatus.Close, Feed("GET /health HTTP/1.0\r\n\r\n").Last);
        _output.Clear();

        var (output, last, _) = Feed("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal(SessionStatus.NeedMoreInput, last);
        Assert.Contains("\r\nConnection: keep-alive\r\n", output);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/2.0\r\n\r\n", 505)]
    [InlineData("POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501)]
    [InlineData("POST /up HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n", 413)]
    public void Bad_requests_get_an_error_and_close(string request, int status)
    {
        var (output, last, _) = Feed(request + "GET /down HTTP/1.1\r\n\r\n");

        Assert.Equal(SessionStatus.Close, last);
        Assert.Equal([status], Wire.StatusCodes(output));
        Assert.Contains("Connection: close", output);
        Assert.True(_file.IsPresent);
    }

    [Fact]
    public void Oversized_head_gets_431_and_close()
    {
        var (output, last, _) = Feed("GET /health HTTP/1.1\r\nX-Big: " + new string('a', 300), chunk: 64);

        Assert.Equal(SessionStatus.Close, last);
        Assert.Equal([431], Wire.StatusCodes(output));
    }

    [Fact]
    public void Head_requests_get_headers_only()
    {
        var (output, _, _) = Feed("HEAD /health HTTP/1.1\r\n\r\n");

        Assert.EndsWith("Content-Length: 10\r\nCache-Control: no-store\r\n\r\n", output);
    }
}
